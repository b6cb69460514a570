package dev.basenft.app;

import dev.basenft.adapter.base.rpc.FactoryDeployer;
import dev.basenft.adapter.base.rpc.MinterKey;
import dev.basenft.app.config.ConfigurationException;
import dev.basenft.app.config.DeployFactorySettings;
import dev.basenft.core.model.ChainUnavailableException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code deploy-factory [--another]}: puts the collection implementation and a factory for the minter on the chain of
 * {@code BASE_RPC_URL}, then prints the variables the server and worker need. Run once per minter and chain: a second run
 * finds the factory there, sends nothing and exits 1 unless {@code --another} asks for a further factory.
 */
final class DeployFactoryCommand {

    private DeployFactoryCommand() {
    }

    /** @return the exit code: 0 deployed, 1 refused (already deployed) or the chain failed, 2 bad usage or settings */
    static int run(List<String> flags, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean another = false;
        for (String flag : flags) {
            if (flag.equals("--another")) {
                another = true;
            } else {
                throw new ConfigurationException(List.of("deploy-factory takes no argument but --another, got '" + flag
                        + "'"));
            }
        }
        DeployFactorySettings settings = DeployFactorySettings.fromEnvironment(env);
        MinterKey payer = MinterKey.fromHex(settings.deployKey());
        out.println("Deploying base-nft's contracts to chain " + settings.chainId() + " for minter " + settings.minter()
                + ", paid by " + payer.address());
        FactoryDeployer.Outcome outcome;
        try (FactoryDeployer deployer = FactoryDeployer.connect(settings.rpcUrls(), settings.chainId(), payer)) {
            outcome = deployer.deploy(settings.minter(), another);
        } catch (IllegalStateException | ChainUnavailableException e) {
            err.println("base-nft deploy-factory: " + e.getMessage());
            return Main.EXIT_STARTUP;
        }
        int exit = switch (outcome) {
            case FactoryDeployer.Outcome.Deployed d -> {
                out.println("Collection implementation " + d.implementation() + d.implementationTransaction()
                        .map(tx -> " (deployed in tx " + tx + ")").orElse(" (already on the chain)"));
                out.println("Factory " + d.factory() + " (deployed in tx " + d.factoryTransaction() + "); every collection"
                        + " it creates grants MINTER_ROLE to " + d.minter());
                yield 0;
            }
            case FactoryDeployer.Outcome.AlreadyDeployed a -> {
                err.println("base-nft deploy-factory: a factory for minter " + a.minter() + " is already at " + a.factory()
                        + " on chain " + settings.chainId() + "; nothing was sent. Use it (below), or run again with "
                        + "--another to deploy a further factory at a new address.");
                yield Main.EXIT_STARTUP;
            }
        };
        out.println("Set these for the server and the worker:");
        out.println("CHAIN_ID=" + settings.chainId().value());
        out.println("FACTORY_ADDRESS=" + outcome.factory());
        out.println("DEPLOYER_ADDRESS=" + outcome.minter());
        return exit;
    }
}
