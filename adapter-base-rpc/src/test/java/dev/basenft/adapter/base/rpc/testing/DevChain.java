package dev.basenft.adapter.base.rpc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.adapter.base.rpc.BaseRpcSettings;
import dev.basenft.adapter.base.rpc.ContractArtifact;
import dev.basenft.adapter.base.rpc.MinterKey;
import dev.basenft.adapter.base.rpc.RetrySettings;
import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.ChainId;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.web3j.abi.FunctionEncoder;

/**
 * anvil with our contracts on it: the collection implementation and the factory deployed from the committed artifacts by
 * dev account 0, the factory's minter = dev account 1 (whose well-known key the adapter signs with), and collections
 * cloned through the factory by the "creator", dev account 2. Dev account 3 is a stranger with no role. The dev keys are
 * public knowledge and for local chains only. Not thread-safe.
 */
public final class DevChain implements AutoCloseable {

    /** anvil's dev key 1: published by Foundry, holds nothing anywhere but on a local chain. */
    public static final String MINTER_KEY_HEX = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private static final SecureRandom RANDOM = new SecureRandom();

    public final AnvilProcess anvil;
    public final DevRpc rpc;
    public final Address deployer;
    public final Address minter;
    public final Address creator;
    public final Address stranger;
    public final MinterKey minterKey;
    public final Address implementation;
    public final Address factory;
    public final long factoryBlock;

    private DevChain(AnvilProcess anvil) {
        this.anvil = anvil;
        this.rpc = new DevRpc(anvil.url());
        List<Address> accounts = rpc.accounts();
        this.deployer = accounts.get(0);
        this.minter = accounts.get(1);
        this.creator = accounts.get(2);
        this.stranger = accounts.get(3);
        this.minterKey = MinterKey.fromHex(MINTER_KEY_HEX);
        if (!minterKey.address().equals(minter)) {
            throw new IllegalStateException("dev key 1 signs for " + minterKey.address() + " but anvil's account 1 is " + minter);
        }
        this.implementation = deploy(ContractArtifact.collection().bytecode(), "");
        String factoryArgs = FunctionEncoder.encodeConstructor(List.of(
                new org.web3j.abi.datatypes.Address(implementation.lowerCase()),
                new org.web3j.abi.datatypes.Address(minter.lowerCase())));
        JsonNode receipt = rpc.sendOk(deployer, null, ContractArtifact.factory().bytecode() + factoryArgs);
        this.factory = Address.parse(receipt.get("contractAddress").asText());
        this.factoryBlock = DevRpc.quantity(receipt.get("blockNumber"));
    }

    /** Starts anvil with {@code anvilArgs} and deploys the contracts. */
    public static DevChain start(String... anvilArgs) {
        AnvilProcess anvil = AnvilProcess.start(anvilArgs);
        try {
            return new DevChain(anvil);
        } catch (RuntimeException e) {
            anvil.close();
            throw e;
        }
    }

    /** Deploys creation code plus encoded constructor arguments from the deployer; returns the contract's address. */
    public Address deploy(String bytecode, String constructorArgs) {
        JsonNode receipt = rpc.sendOk(deployer, null, bytecode + constructorArgs);
        return Address.parse(receipt.get("contractAddress").asText());
    }

    /** A factory over another implementation, with the same minter. */
    public Address deployFactory(Address implementationAddress) {
        String args = FunctionEncoder.encodeConstructor(List.of(
                new org.web3j.abi.datatypes.Address(implementationAddress.lowerCase()),
                new org.web3j.abi.datatypes.Address(minter.lowerCase())));
        return deploy(ContractArtifact.factory().bytecode(), args);
    }

    /** A new collection cloned through our factory by the creator, for a fresh campaign id. */
    public Address createCollection(String name, String symbol, String baseUri) {
        return createCollection(factory, name, symbol, baseUri);
    }

    /** A new collection cloned through {@code viaFactory} by the creator, for a fresh campaign id. */
    public Address createCollection(Address viaFactory, String name, String symbol, String baseUri) {
        JsonNode receipt = rpc.sendOk(creator, viaFactory, Abi.createCollection(randomCampaignKey(), name, symbol,
                baseUri));
        for (JsonNode log : receipt.get("logs")) {
            if (log.get("topics").get(0).asText().equalsIgnoreCase(Abi.COLLECTION_CREATED_TOPIC)) {
                return Abi.addressFromWord(log.get("topics").get(2).asText());
            }
        }
        throw new IllegalStateException("no CollectionCreated in " + receipt);
    }

    /** The key of a campaign id nobody else uses, so the creator's CREATE2 deploys never collide. */
    public static CampaignKey randomCampaignKey() {
        return CampaignKey.of(new CampaignId(UUID.randomUUID()));
    }

    /** Settings for the adapter against this chain: quick retries so failure tests stay fast. */
    public BaseRpcSettings.Builder settings(URI... urls) {
        return BaseRpcSettings.builder()
                .rpcUrls(urls.length == 0 ? List.of(anvil.url()) : List.of(urls))
                .chainId(new ChainId(AnvilProcess.CHAIN_ID))
                .minterKey(minterKey)
                .factory(factory)
                .receiptPollInterval(Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(10))
                .retry(new RetrySettings(3, Duration.ofMillis(20), Duration.ofMillis(100), 0.25))
                .failoverCooldown(Duration.ofSeconds(30));
    }

    public BaseRpcChain connect() {
        return BaseRpcChain.connect(settings().build());
    }

    public static BatchKey randomKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new BatchKey("0x" + HexFormat.of().formatHex(bytes));
    }

    /** {@code count} fresh addresses nobody has used: every mint to them pays for new storage, the airdrop case. */
    public static List<Address> freshAddresses(int count) {
        List<Address> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[20];
            RANDOM.nextBytes(bytes);
            bytes[0] |= 1; // never the zero address
            out.add(Address.ofBytes(bytes));
        }
        return out;
    }

    @Override
    public void close() {
        anvil.close();
    }

    /** Starts anvil serving {@code chainId} (e.g. 84532, Base Sepolia, whose per-chain defaults differ) and deploys the contracts. */
    public static DevChain startWithChainId(long chainId, String... anvilArgs) {
        AnvilProcess anvil = AnvilProcess.start(chainId, anvilArgs);
        try {
            return new DevChain(anvil);
        } catch (RuntimeException e) {
            anvil.close();
            throw e;
        }
    }
}
