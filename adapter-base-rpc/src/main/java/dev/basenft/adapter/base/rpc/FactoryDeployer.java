package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.internal.JsonRpcErrorException;
import dev.basenft.adapter.base.rpc.internal.RpcClient;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Puts base-nft's contracts on a chain: the collection implementation and a factory that grants MINTER_ROLE on every
 * collection it creates to one minter, both through the deterministic deployment proxy (CREATE2), paid by a deployer key.
 *
 * <p>The addresses follow from the code alone: the implementation's from its bytecode (one per chain, shared), the
 * factory's from its bytecode, the implementation and the minter. So a second run for the same minter finds the factory
 * already there and deploys nothing ({@link Outcome.AlreadyDeployed}) unless asked for another one, which then gets a salt
 * of its own and a new address. The proxy is an OP Stack preinstall (Base, Base Sepolia) and is on anvil by default.
 *
 * <p>Not thread-safe: one deployment at a time. {@link #close} releases the HTTP client.
 */
public final class FactoryDeployer implements AutoCloseable {

    /** The deterministic deployment proxy: calldata is a 32-byte salt followed by creation code; it CREATE2s it. */
    public static final Address CREATE2_PROXY = Address.parse("0x4e59b44847b379578588920ca78fbf26c0b4956c");

    private static final System.Logger LOG = System.getLogger(FactoryDeployer.class.getName());
    private static final String ZERO_SALT = "0".repeat(64);
    private static final Duration RECEIPT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration RECEIPT_POLL = Duration.ofMillis(250);
    /** The tip per gas; Base's blocks clear at a fraction of a gwei, and a deployment is not in a hurry. */
    private static final Wei PRIORITY_FEE = Wei.of(1_000_000);
    private static final int GAS_MARGIN_PERCENT = 20;

    private final RpcClient rpc;
    private final ChainId chainId;
    private final MinterKey deployer;

    private FactoryDeployer(RpcClient rpc, ChainId chainId, MinterKey deployer) {
        this.rpc = rpc;
        this.chainId = chainId;
        this.deployer = deployer;
    }

    /**
     * Connects to the chain and checks its id.
     *
     * @param rpcUrls endpoints in failover order; not empty
     * @param chainId the chain the endpoints must serve
     * @param deployer the key that pays for the deployment; need not be the minter's
     * @throws IllegalStateException when an endpoint serves another chain (naming both ids)
     * @throws dev.basenft.core.model.ChainUnavailableException when no endpoint answers
     */
    public static FactoryDeployer connect(List<URI> rpcUrls, ChainId chainId, MinterKey deployer) {
        Require.notNull("rpcUrls", rpcUrls);
        Require.notNull("chainId", chainId);
        Require.notNull("deployer", deployer);
        RpcClient rpc = new RpcClient(rpcUrls, chainId.value(), Duration.ofSeconds(30), 3, Duration.ofMillis(200),
                Duration.ofSeconds(2), 0.2, Duration.ofSeconds(30));
        try {
            rpc.verifyChainIds();
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
        return new FactoryDeployer(rpc, chainId, deployer);
    }

    /** The address that pays. */
    public Address deployerAddress() {
        return deployer.address();
    }

    /**
     * Deploys what is missing: the implementation unless the chain has it, then the factory for {@code minter}.
     *
     * @param minter the wallet the factory grants MINTER_ROLE to on each collection (the worker's key)
     * @param another deploy a further factory even when one for {@code minter} is there (a fresh salt, a new address)
     * @return what was deployed, or the factory that was already there; never null
     * @throws IllegalStateException when the chain has no deterministic deployment proxy, a deployment reverts or its
     *         receipt does not come, or the factory does not name {@code minter} as its minter afterwards
     */
    public Outcome deploy(Address minter, boolean another) {
        Require.notNull("minter", minter);
        if (!hasCode(CREATE2_PROXY)) {
            throw new IllegalStateException("chain " + chainId + " has no deterministic deployment proxy at " + CREATE2_PROXY
                    + " (an OP Stack preinstall; on other chains it is deployed by its well-known keyless transaction)");
        }
        String implementationCode = ContractArtifact.collection().bytecode();
        Address implementation = create2Address(ZERO_SALT, implementationCode);
        String factoryCode = ContractArtifact.factory().bytecode() + word(implementation) + word(minter);
        Address sameMinterFactory = create2Address(ZERO_SALT, factoryCode);
        if (hasCode(sameMinterFactory) && !another) {
            return new Outcome.AlreadyDeployed(implementation, sameMinterFactory, minter);
        }
        Optional<TxHash> implementationTx = Optional.empty();
        if (!hasCode(implementation)) {
            implementationTx = Optional.of(create2(ZERO_SALT, implementationCode, implementation, "the collection implementation"));
        }
        String salt = ZERO_SALT;
        if (hasCode(sameMinterFactory)) {
            // Another factory for the same minter: a salt no earlier run used, so it lands at an address of its own.
            salt = Numeric.toHexStringNoPrefix(Hash.sha3((minter.lowerCase() + ":" + System.nanoTime() + ":"
                    + deployer.address().lowerCase()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        Address factory = create2Address(salt, factoryCode);
        TxHash factoryTx = create2(salt, factoryCode, factory, "the factory");
        Optional<Address> named = Abi.decodeAddress(call(factory, Abi.factoryMinter()));
        if (!named.equals(Optional.of(minter))) {
            throw new IllegalStateException("the factory at " + factory + " names " + named.map(Address::toString)
                    .orElse("no minter") + ", not " + minter);
        }
        return new Outcome.Deployed(implementation, implementationTx, factory, factoryTx, minter);
    }

    /** What {@link #deploy} did. */
    public sealed interface Outcome {

        Address implementation();

        Address factory();

        Address minter();

        /**
         * @param implementationTransaction empty when the chain had the implementation already
         */
        record Deployed(Address implementation, Optional<TxHash> implementationTransaction, Address factory,
                TxHash factoryTransaction, Address minter) implements Outcome {
            public Deployed {
                Require.notNull("implementation", implementation);
                Require.notNull("implementationTransaction", implementationTransaction);
                Require.notNull("factory", factory);
                Require.notNull("factoryTransaction", factoryTransaction);
                Require.notNull("minter", minter);
            }
        }

        /** A factory for this minter (and this code) is on the chain already; nothing was sent. */
        record AlreadyDeployed(Address implementation, Address factory, Address minter) implements Outcome {
            public AlreadyDeployed {
                Require.notNull("implementation", implementation);
                Require.notNull("factory", factory);
                Require.notNull("minter", minter);
            }
        }
    }

    @Override
    public void close() {
        rpc.close();
    }

    // ------------------------------------------------------------------------------------------------- internals

    /** CREATE2 through the proxy: {@code keccak256(0xff ‖ proxy ‖ salt ‖ keccak256(code))}, last 20 bytes. */
    static Address create2Address(String saltHex, String creationCode) {
        byte[] code = Numeric.hexStringToByteArray(creationCode);
        byte[] preimage = Numeric.hexStringToByteArray("ff" + CREATE2_PROXY.lowerCase().substring(2) + saltHex
                + Numeric.toHexStringNoPrefix(Hash.sha3(code)));
        byte[] hash = Hash.sha3(preimage);
        return Address.ofBytes(java.util.Arrays.copyOfRange(hash, 12, 32));
    }

    private TxHash create2(String saltHex, String creationCode, Address expected, String what) {
        String data = "0x" + saltHex + creationCode.substring(2);
        Address from = deployer.address();
        Transaction estimate = Transaction.createFunctionCallTransaction(from.lowerCase(), null, null, null,
                CREATE2_PROXY.lowerCase(), data);
        BigInteger gas;
        try {
            gas = rpc.send("eth_estimateGas", List.of(estimate), EthEstimateGas.class).getAmountUsed();
        } catch (JsonRpcErrorException e) {
            throw new IllegalStateException("deploying " + what + " would fail: " + e.rpcMessage(), e);
        }
        BigInteger gasLimit = gas.multiply(BigInteger.valueOf(100 + GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100));
        EthBlock.Block latest = rpc.send("eth_getBlockByNumber", List.of("latest", false), EthBlock.class).getBlock();
        Fees fees = Fees.forBaseFee(new Wei(latest.getBaseFeePerGas()), PRIORITY_FEE);
        BigInteger nonce = rpc.send("eth_getTransactionCount", List.of(from.lowerCase(), "pending"),
                EthGetTransactionCount.class).getTransactionCount();
        RawTransaction raw = RawTransaction.createTransaction(chainId.value(), nonce, gasLimit, CREATE2_PROXY.lowerCase(),
                BigInteger.ZERO, data, fees.maxPriorityFeePerGas().value(), fees.maxFeePerGas().value());
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, deployer.credentials()));
        TxHash hash = new TxHash(Hash.sha3(signed));
        try {
            rpc.send("eth_sendRawTransaction", List.of(signed), EthSendTransaction.class);
        } catch (JsonRpcErrorException e) {
            throw new IllegalStateException("the node refused the deployment of " + what + ": " + e.rpcMessage(), e);
        }
        LOG.log(Level.INFO, "Deploying {0} to {1} in tx {2} (nonce {3,number,#}, gas limit {4,number,#})", what, expected,
                hash, nonce.longValueExact(), gasLimit.longValueExact());
        TransactionReceipt receipt = awaitReceipt(hash, what);
        if (!receipt.isStatusOK() || !hasCode(expected)) {
            throw new IllegalStateException("deploying " + what + " in tx " + hash + " reverted or left no code at "
                    + expected);
        }
        return hash;
    }

    private TransactionReceipt awaitReceipt(TxHash hash, String what) {
        long deadline = System.nanoTime() + RECEIPT_TIMEOUT.toNanos();
        while (true) {
            Optional<TransactionReceipt> receipt = rpc.send("eth_getTransactionReceipt", List.of(hash.value()),
                    EthGetTransactionReceipt.class).getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no receipt for the deployment of " + what + " (tx " + hash + ") within "
                        + RECEIPT_TIMEOUT.toMinutes() + " minutes; look it up before running again");
            }
            try {
                Thread.sleep(RECEIPT_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for tx " + hash, e);
            }
        }
    }

    private boolean hasCode(Address address) {
        String code = rpc.send("eth_getCode", List.of(address.lowerCase(), "latest"), EthGetCode.class).getCode();
        return code != null && code.length() > 2;
    }

    private String call(Address to, String data) {
        Transaction call = Transaction.createEthCallTransaction(deployer.address().lowerCase(), to.lowerCase(), data);
        String value = rpc.send("eth_call", List.of(call, "latest"), EthCall.class).getValue();
        return value == null ? "0x" : value;
    }

    private static String word(Address address) {
        return "0".repeat(24) + address.lowerCase().substring(2);
    }
}
