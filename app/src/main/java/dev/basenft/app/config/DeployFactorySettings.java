package dev.basenft.app.config;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Require;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code deploy-factory} reads from the environment: the chain (the same {@code BASE_RPC_URL} and {@code CHAIN_ID} the
 * server and worker use), the minter the factory is for ({@code DEPLOYER_ADDRESS}, the worker's key's address) and the key
 * that pays for the deployment ({@code DEPLOY_PRIVATE_KEY_FILE}, or {@code DEPLOY_PRIVATE_KEY}). Immutable;
 * {@link #toString()} never shows the key.
 *
 * @param rpcUrls endpoints in failover order; not empty
 * @param chainId the chain the endpoints must serve
 * @param minter the wallet granted MINTER_ROLE on every collection the factory creates
 * @param deployKey {@code 0x} and 64 hex digits; secret
 */
public record DeployFactorySettings(List<URI> rpcUrls, ChainId chainId, Address minter, String deployKey) {

    public DeployFactorySettings {
        rpcUrls = List.copyOf(Require.notNull("rpcUrls", rpcUrls));
        Require.notNull("chainId", chainId);
        Require.notNull("minter", minter);
        Require.notNull("deployKey", deployKey);
    }

    /**
     * @throws ConfigurationException naming every missing or bad variable (never a secret's value)
     */
    public static DeployFactorySettings fromEnvironment(Map<String, String> env) {
        Environment e = new Environment(Require.notNull("env", env));
        List<URI> rpcUrls = Settings.rpcUrls(e);
        Optional<ChainId> chainId = e.parsed("CHAIN_ID", null, text -> new ChainId(Environment.wholeNumber(text)),
                "a positive chain id", "NEXT_PUBLIC_CHAIN_ID");
        if (chainId.isEmpty() && e.lookup("CHAIN_ID", "NEXT_PUBLIC_CHAIN_ID").isEmpty()) {
            // No default here: a deployment is for one chain, said out loud (84532 Base Sepolia, 8453 Base).
            e.problem("CHAIN_ID is required: the chain to deploy to (84532 Base Sepolia, 8453 Base); the RPC must serve it");
        }
        Optional<Address> minter = Settings.address(e, "DEPLOYER_ADDRESS", "NEXT_PUBLIC_DEPLOYER_ADDRESS");
        Optional<String> key = e.secret("DEPLOY_PRIVATE_KEY", "the key that pays for deploying the contracts");
        if (key.isPresent() && !key.get().matches("(0x)?[0-9a-fA-F]{64}")) {
            e.problem("DEPLOY_PRIVATE_KEY must be 64 hex digits (optionally 0x-prefixed); the value is not shown");
            key = Optional.empty();
        }
        if (!e.problems().isEmpty()) {
            throw new ConfigurationException(e.problems());
        }
        return new DeployFactorySettings(rpcUrls, chainId.orElseThrow(), minter.orElseThrow(), key.orElseThrow());
    }

    @Override
    public String toString() {
        return "DeployFactorySettings[" + rpcUrls.size() + " RPC endpoint(s), chain " + chainId + ", minter " + minter
                + ", deploy key (secret)]";
    }
}
