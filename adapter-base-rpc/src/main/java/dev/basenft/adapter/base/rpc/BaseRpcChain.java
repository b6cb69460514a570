package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.internal.JsonRpcErrorException;
import dev.basenft.adapter.base.rpc.internal.RevertDecoder;
import dev.basenft.adapter.base.rpc.internal.RpcClient;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.CollectionFactory;
import dev.basenft.core.port.out.DeploymentCheck;
import dev.basenft.core.port.out.UnsignedCall;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGasPrice;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The chain gateway to Base over JSON-RPC: core's {@link Chain} for the minter wallet and {@link CollectionFactory} for
 * creators' deployments, plus a readiness probe for {@code /health/ready}.
 *
 * <p>Transactions are EIP-1559, signed locally for the configured chain id; {@link #signMint} sends nothing, so the worker can
 * store the raw bytes before {@link #broadcast} (SPEC §3, layer 4). Every node call goes through the configured RPC URLs in
 * failover order with retries on transport errors only; a call no node answered throws {@link ChainUnavailableException}
 * (counted by the circuit breaker), a deterministic refusal {@link ChainRejectedException} or a
 * {@link BroadcastResult.Rejected} (never counted).
 *
 * <p>Built by {@link #connect}, which refuses RPC endpoints serving another chain. No method accepts null; every method is
 * safe for concurrent use. {@link #close} releases the HTTP client.
 */
public final class BaseRpcChain implements Chain, CollectionFactory, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BaseRpcChain.class.getName());

    private final BaseRpcSettings settings;
    private final RpcClient rpc;
    private final Address minter;

    private BaseRpcChain(BaseRpcSettings settings, RpcClient rpc) {
        this.settings = settings;
        this.rpc = rpc;
        this.minter = settings.minter();
    }

    /**
     * Connects and checks that the nodes serve the configured chain. When no endpoint answers at all the gateway is returned
     * anyway, unready: a process started during an outage waits it out instead of exiting, and each endpoint's chain id is
     * checked before its first use, so one serving another chain is never used.
     *
     * @param settings never null
     * @return the gateway; its calls throw {@link ChainUnavailableException} until an endpoint answers
     * @throws IllegalStateException when an endpoint answers {@code eth_chainId} with another chain id (the message names
     *         the endpoint, redacted, and both ids)
     */
    public static BaseRpcChain connect(BaseRpcSettings settings) {
        Settings.notNull("settings", settings);
        RetrySettings retry = settings.retry();
        RpcClient rpc = new RpcClient(settings.rpcUrls(), settings.chainId().value(), settings.callTimeout(),
                retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(), retry.jitter(), settings.failoverCooldown());
        try {
            rpc.verifyChainIds();
        } catch (ChainUnavailableException e) {
            LOG.log(Level.WARNING, "No RPC endpoint answered at start ({0}); starting unready, each endpoint''s chain id is"
                    + " checked when it first answers", e.getMessage());
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
        LOG.log(Level.INFO, "Connected to chain {0} through {1} RPC endpoint(s); minter {2}, factory {3}",
                settings.chainId(), settings.rpcUrls().size(), settings.minter(), settings.factory());
        return new BaseRpcChain(settings, rpc);
    }

    /** The settings this gateway runs with ({@code toString} redacts secrets). */
    public BaseRpcSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------------------------ Chain: reads

    /** The configured chain id; every endpoint is checked against it before it is used (see {@link #connect}). */
    @Override
    public ChainId chainId() {
        return settings.chainId();
    }

    @Override
    public Address minter() {
        return minter;
    }

    @Override
    public long pendingNonce(Address wallet) {
        return transactionCount(wallet, "pending");
    }

    @Override
    public long latestNonce(Address wallet) {
        return transactionCount(wallet, "latest");
    }

    private long transactionCount(Address wallet, String block) {
        notNull("wallet", wallet);
        return send("eth_getTransactionCount", List.of(wallet.lowerCase(), block), EthGetTransactionCount.class)
                .getTransactionCount().longValueExact();
    }

    @Override
    public Wei balance(Address wallet) {
        notNull("wallet", wallet);
        return new Wei(send("eth_getBalance", List.of(wallet.lowerCase(), "latest"), EthGetBalance.class).getBalance());
    }

    /** {@code maxFeePerGas = 2 × baseFee(latest block) + priorityFee}, the priority fee from the settings. */
    @Override
    public Fees currentFees() {
        EthBlock.Block block = send("eth_getBlockByNumber", List.of("latest", false), EthBlock.class).getBlock();
        BigInteger baseFee = block == null || block.getBaseFeePerGasRaw() == null
                // A chain without EIP-1559 blocks: the legacy gas price stands in for the base fee.
                ? send("eth_gasPrice", List.of(), EthGasPrice.class).getGasPrice()
                : block.getBaseFeePerGas();
        return Fees.forBaseFee(new Wei(baseFee), settings.priorityFee());
    }

    @Override
    public boolean batchKeyUsed(Address collection, BatchKey key) {
        notNull("collection", collection);
        notNull("key", key);
        return Abi.decodeBool(call(collection, Abi.batchKeyUsed(key), "latest"));
    }

    /** @throws JsonRpcErrorException when the node cannot answer for that block (no historical state) */
    private boolean batchKeyUsedAt(Address collection, BatchKey key, String block) {
        return Abi.decodeBool(callRaw(collection, Abi.batchKeyUsed(key), block));
    }

    // --------------------------------------------------------------------------------------- Chain: mint lifecycle

    /**
     * {@code eth_estimateGas} from the minter, plus the margin, capped at the per-transaction cap; priced at
     * {@link #currentFees()}.
     *
     * @throws ChainRejectedException when the estimate reverts (BATCH_KEY_USED, PAUSED, MISSING_ROLE, INVALID_RECIPIENT…)
     *         or the mint needs more gas than one transaction may have (OUT_OF_GAS)
     */
    @Override
    public MintQuote quoteMint(MintCall call) {
        notNull("call", call);
        String data = Abi.mintBatch(call.batchKey(), call.recipients());
        Transaction estimate = Transaction.createFunctionCallTransaction(minter.lowerCase(), null, null, null,
                call.collection().lowerCase(), data);
        BigInteger gas;
        try {
            gas = rpc.send("eth_estimateGas", List.of(estimate), EthEstimateGas.class).getAmountUsed();
        } catch (JsonRpcErrorException e) {
            RevertDecoder.Decoded decoded = RevertDecoder.decode(e);
            throw new ChainRejectedException(decoded.failure(), decoded.detail());
        }
        if (gas.compareTo(BigInteger.valueOf(settings.gasCap())) > 0) {
            throw new ChainRejectedException(ChainFailure.OUT_OF_GAS, "the mint of " + call.recipients().size()
                    + " recipients needs " + gas + " gas, above the per-transaction cap of " + settings.gasCap()
                    + "; plan smaller batches");
        }
        long withMargin = gas.multiply(BigInteger.valueOf(100L + settings.gasMarginPercent()))
                .add(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100)).longValueExact();
        return new MintQuote(Math.min(withMargin, settings.gasCap()), currentFees());
    }

    /**
     * Signs {@code mintBatch} as an EIP-1559 transaction for the configured chain id. No I/O.
     *
     * @param nonce not negative
     * @throws IllegalArgumentException when the quote's gas limit is above the per-transaction cap
     * @throws IllegalStateException when this gateway was built without a minter key (a process that never signs)
     */
    @Override
    public SignedTransaction signMint(MintCall call, long nonce, MintQuote quote) {
        notNull("call", call);
        notNull("quote", quote);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
        if (quote.gasLimit() > settings.gasCap()) {
            throw new IllegalArgumentException("quote.gasLimit " + quote.gasLimit() + " is above the per-transaction gas cap "
                    + settings.gasCap());
        }
        RawTransaction raw = RawTransaction.createTransaction(settings.chainId().value(), BigInteger.valueOf(nonce),
                BigInteger.valueOf(quote.gasLimit()), call.collection().lowerCase(), BigInteger.ZERO,
                Abi.mintBatch(call.batchKey(), call.recipients()), quote.fees().maxPriorityFeePerGas().value(),
                quote.fees().maxFeePerGas().value());
        // The typed (EIP-2718) overload: the chain id is inside the signed payload, no EIP-155 v arithmetic.
        MinterKey key = settings.minterKey().orElseThrow(() -> new IllegalStateException("this chain gateway has no minter "
                + "key (it was built with the minter's address only, for a process that never signs)"));
        byte[] signed = TransactionEncoder.signMessage(raw, key.credentials());
        String hex = Numeric.toHexString(signed);
        return new SignedTransaction(new TxHash(Hash.sha3(hex)), hex, minter, nonce, quote.gasLimit(), quote.fees());
    }

    /**
     * Sends the raw bytes. "Already known", and "nonce too low" for a transaction the node already holds or has mined, count
     * as accepted: rebroadcasting a stored transaction is always safe.
     *
     * @throws IllegalArgumentException when {@code transaction.hash()} is not the hash of its raw bytes (a corrupt record)
     * @throws ChainUnavailableException when no node answered; the transaction may or may not have reached one, so
     *         {@link #status} tells later
     */
    @Override
    public BroadcastResult broadcast(SignedTransaction transaction) {
        notNull("transaction", transaction);
        TxHash computed = new TxHash(Hash.sha3(transaction.raw()));
        if (!computed.equals(transaction.hash())) {
            throw new IllegalArgumentException("transaction.hash " + transaction.hash()
                    + " is not the hash of its raw bytes (" + computed + "): the stored record is corrupt");
        }
        try {
            EthSendTransaction sent = rpc.send("eth_sendRawTransaction", List.of(transaction.raw()),
                    EthSendTransaction.class);
            if (sent.getTransactionHash() != null && !sent.getTransactionHash().equalsIgnoreCase(transaction.hash().value())) {
                LOG.log(Level.WARNING, "Node answered hash {0} for transaction {1}; keeping the locally computed hash",
                        sent.getTransactionHash(), transaction.hash());
            }
            return new BroadcastResult.Accepted(transaction.hash());
        } catch (JsonRpcErrorException e) {
            if (RevertDecoder.isAlreadyKnown(e.rpcMessage())) {
                return new BroadcastResult.Accepted(transaction.hash());
            }
            RevertDecoder.Decoded decoded = RevertDecoder.fromMessage(e.rpcMessage());
            if (decoded.failure() == ChainFailure.NONCE_TOO_LOW && !(status(transaction.hash()) instanceof TransactionStatus.Unknown)) {
                // Our own transaction used the nonce: it is mined or pending, which is what broadcasting wanted.
                return new BroadcastResult.Accepted(transaction.hash());
            }
            LOG.log(Level.INFO, "Node refused transaction {0} (nonce {1}): {2}", transaction.hash(), transaction.nonce(),
                    e.rpcMessage());
            return new BroadcastResult.Rejected(decoded.failure(), e.rpcMessage());
        }
    }

    /**
     * Mined (receipt, tokens from its Transfer logs, the failure named when it reverted), pending (in the node's pool, or
     * known but without a receipt yet on a lagging node), or unknown.
     */
    @Override
    public TransactionStatus status(TxHash hash) {
        notNull("hash", hash);
        Optional<TransactionReceipt> receipt = send("eth_getTransactionReceipt", List.of(hash.value()),
                EthGetTransactionReceipt.class).getTransactionReceipt();
        if (receipt.isPresent()) {
            TransactionReceipt r = receipt.get();
            Address collection = r.getTo() == null ? null : Address.parse(r.getTo());
            return new TransactionStatus.Mined(toMintReceipt(r, collection));
        }
        boolean known = send("eth_getTransactionByHash", List.of(hash.value()), EthTransaction.class).getTransaction()
                .isPresent();
        return known ? new TransactionStatus.Pending() : new TransactionStatus.Unknown();
    }

    /**
     * Polls {@link #status} every {@link BaseRpcSettings#receiptPollInterval()} until the transaction is mined or
     * {@code timeout} has passed.
     *
     * @return {@link TransactionStatus.Mined}, or the last status seen when the time ran out
     * @throws ChainUnavailableException when the node cannot be reached, or the thread is interrupted
     */
    public TransactionStatus awaitMined(TxHash hash, Duration timeout) {
        notNull("hash", hash);
        notNull("timeout", timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TransactionStatus status = status(hash);
            if (status instanceof TransactionStatus.Mined || System.nanoTime() - deadline >= 0) {
                return status;
            }
            try {
                Thread.sleep(settings.receiptPollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException("interrupted while waiting for the receipt of " + hash, e);
            }
        }
    }

    /**
     * Finds the {@code BatchMinted} event for {@code key} with {@code eth_getLogs}; when the node refuses the block range,
     * bisects for the block where {@code batchKeyUsed(key)} turned true and reads that block's logs.
     */
    @Override
    public Optional<MintReceipt> findMint(Address collection, BatchKey key) {
        notNull("collection", collection);
        notNull("key", key);
        List<Log> logs;
        try {
            logs = batchMintedLogs(collection, key, settings.logsFromBlock(), null);
        } catch (JsonRpcErrorException e) {
            LOG.log(Level.INFO, "eth_getLogs over blocks {0}..latest refused ({1}); locating the mint of batch key {2} by"
                    + " bisection", settings.logsFromBlock(), e.rpcMessage(), key);
            try {
                logs = bisectForMint(collection, key);
            } catch (JsonRpcErrorException historical) {
                LOG.log(Level.ERROR, "Cannot locate the mint of batch key {0} on {1}: the node refuses the log range and"
                        + " historical state ({2}). Set logsFromBlock to the factory''s deploy block, or use an archive node",
                        key, collection, historical.rpcMessage());
                return Optional.empty();
            }
        }
        if (logs.isEmpty()) {
            return Optional.empty();
        }
        TxHash hash = new TxHash(logs.getFirst().getTransactionHash());
        Optional<TransactionReceipt> receipt = send("eth_getTransactionReceipt", List.of(hash.value()),
                EthGetTransactionReceipt.class).getTransactionReceipt();
        // A node that shows the log but not yet the receipt is lagging: say "not yet", the caller looks again later.
        return receipt.map(r -> toMintReceipt(r, collection));
    }

    /** {@code BatchMinted(key)} logs of the collection in blocks {@code fromBlock..toBlock} (null: latest). */
    private List<Log> batchMintedLogs(Address collection, BatchKey key, long fromBlock, Long toBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                toBlock == null ? DefaultBlockParameterName.LATEST : DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)),
                collection.lowerCase());
        filter.addSingleTopic(Abi.BATCH_MINTED_TOPIC);
        filter.addSingleTopic(key.value());
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : rpc.send("eth_getLogs", List.of(filter), EthLog.class).getLogs()) {
            if (result.get() instanceof Log log && !log.isRemoved()) {
                logs.add(log);
            }
        }
        return logs;
    }

    private List<Log> bisectForMint(Address collection, BatchKey key) {
        long high = send("eth_blockNumber", List.of(), EthBlockNumber.class).getBlockNumber().longValueExact();
        if (!batchKeyUsedAt(collection, key, Numeric.encodeQuantity(BigInteger.valueOf(high)))) {
            return List.of();
        }
        long low = settings.logsFromBlock();
        while (low < high) { // invariant: the key is used at high; find the first such block
            long middle = low + (high - low) / 2;
            if (batchKeyUsedAt(collection, key, Numeric.encodeQuantity(BigInteger.valueOf(middle)))) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return batchMintedLogs(collection, key, low, low);
    }

    // ------------------------------------------------------------------------------------------ CollectionFactory

    /**
     * {@code createCollection(campaignKey, name, symbol, baseUri)} on our factory, for the creator's wallet, with no value.
     */
    @Override
    public UnsignedCall deployCall(Campaign campaign) {
        notNull("campaign", campaign);
        if (!campaign.chainId().equals(settings.chainId())) {
            throw new IllegalArgumentException("campaign.chainId " + campaign.chainId() + " is not the chain this gateway"
                    + " serves (" + settings.chainId() + ")");
        }
        return new UnsignedCall(settings.chainId(), settings.factory(),
                Abi.createCollection(CampaignKey.of(campaign.id()), campaign.name(), campaign.symbol(), campaign.baseUri()),
                Wei.ZERO);
    }

    /** The factory's own {@code predictCollection} view, so the answer is the CREATE2 address the factory will use. */
    @Override
    public Address predictCollection(Address creatorWallet, CampaignId campaign) {
        notNull("creatorWallet", creatorWallet);
        notNull("campaign", campaign);
        String answer = call(settings.factory(), Abi.predictCollection(creatorWallet, CampaignKey.of(campaign)), "latest");
        return Abi.decodeAddress(answer).orElseThrow(() -> new ChainRejectedException(ChainFailure.REVERTED, "factory "
                + settings.factory() + " answered predictCollection with nothing: is it a base-nft factory of this version?"));
    }

    /**
     * Mined, succeeded, sent to our factory, and our factory's {@code CollectionCreated} event in its logs: then
     * {@link DeploymentCheck.Deployed} with the collection, creator and campaign key the event names, and the receipt's
     * block. Whether the key is the right campaign's is core's decision.
     */
    @Override
    public DeploymentCheck verifyDeployment(TxHash deployTransaction) {
        notNull("deployTransaction", deployTransaction);
        Optional<TransactionReceipt> found = send("eth_getTransactionReceipt", List.of(deployTransaction.value()),
                EthGetTransactionReceipt.class).getTransactionReceipt();
        if (found.isEmpty()) {
            return new DeploymentCheck.NotMined();
        }
        TransactionReceipt receipt = found.get();
        Address factory = settings.factory();
        if (receipt.getTo() == null || !Address.parse(receipt.getTo()).equals(factory)) {
            return new DeploymentCheck.Rejected("transaction " + deployTransaction + " was sent to "
                    + (receipt.getTo() == null ? "no address (a contract creation)" : Address.parse(receipt.getTo()))
                    + ", not to our factory " + factory);
        }
        if (!receipt.isStatusOK()) {
            return new DeploymentCheck.Rejected("transaction " + deployTransaction + " to our factory reverted (block "
                    + receipt.getBlockNumber() + ")");
        }
        for (Log log : receipt.getLogs()) {
            List<String> topics = log.getTopics();
            if (log.getAddress() != null && Address.parse(log.getAddress()).equals(factory) && topics.size() == 4
                    && topics.getFirst().equalsIgnoreCase(Abi.COLLECTION_CREATED_TOPIC)) {
                return new DeploymentCheck.Deployed(Abi.addressFromWord(topics.get(2)), Abi.addressFromWord(topics.get(1)),
                        new CampaignKey(topics.get(3)), receipt.getBlockNumber().longValueExact());
            }
        }
        return new DeploymentCheck.Rejected("transaction " + deployTransaction
                + " to our factory emitted no CollectionCreated event");
    }

    @Override
    public boolean minterHasRole(Address collection) {
        notNull("collection", collection);
        return Abi.decodeBool(call(collection, Abi.hasRole(Abi.MINTER_ROLE, minter), "latest"));
    }

    // ------------------------------------------------------------------------------------------------- readiness

    /**
     * The readiness probe: the node's head and latency, the minter's balance, the factory's minter, and whether the factory
     * is of the version that binds collections to campaigns.
     *
     * @throws ChainUnavailableException when no node answers
     */
    public Readiness readiness() {
        long start = System.nanoTime();
        long block = send("eth_blockNumber", List.of(), EthBlockNumber.class).getBlockNumber().longValueExact();
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        String endpoint = rpc.lastEndpoint();
        Wei balance = balance(minter);
        Optional<Address> factoryMinter = Abi.decodeAddress(call(settings.factory(), Abi.factoryMinter(), "latest"));
        return new Readiness(block, latency, endpoint, minter, balance, settings.factory(), factoryMinter,
                answersPredictCollection());
    }

    /** An older factory has no {@code predictCollection}: the call reverts (or, at an address without code, is empty). */
    private boolean answersPredictCollection() {
        try {
            String answer = call(settings.factory(), Abi.predictCollection(minter, new CampaignKey("0x" + "0".repeat(64))),
                    "latest");
            return Abi.decodeAddress(answer).isPresent();
        } catch (ChainRejectedException e) {
            return false;
        }
    }

    /** Closes the HTTP client; calls afterwards fail. */
    @Override
    public void close() {
        rpc.close();
    }

    @Override
    public String toString() {
        return "BaseRpcChain[" + settings + "]";
    }

    // ------------------------------------------------------------------------------------------------- internals

    private MintReceipt toMintReceipt(TransactionReceipt receipt, Address collection) {
        TxHash hash = new TxHash(receipt.getTransactionHash());
        long block = receipt.getBlockNumber().longValueExact();
        long gasUsed = receipt.getGasUsed().longValueExact();
        if (!receipt.isStatusOK()) {
            ChainFailure failure = diagnose(receipt);
            return new MintReceipt(hash, false, block, gasUsed, List.of(), failure);
        }
        List<MintedToken> tokens = new ArrayList<>();
        for (Log log : receipt.getLogs()) {
            List<String> topics = log.getTopics();
            // ERC-721 Transfer(from, to, tokenId), all indexed; a mint is a transfer from the zero address.
            if (collection != null && log.getAddress() != null && Address.parse(log.getAddress()).equals(collection)
                    && topics.size() == 4 && topics.getFirst().equalsIgnoreCase(Abi.TRANSFER_TOPIC)
                    && Abi.uintFromWord(topics.get(1)).signum() == 0) {
                tokens.add(new MintedToken(Abi.addressFromWord(topics.get(2)), new TokenId(Abi.uintFromWord(topics.get(3)))));
            }
        }
        return new MintReceipt(hash, true, block, gasUsed, tokens, ChainFailure.NONE);
    }

    /**
     * Why a mined transaction reverted. All its gas used means out of gas (a revert returns what is left). Otherwise the call
     * is replayed with {@code eth_call} at its block, whose error carries the revert data the receipt does not.
     *
     * <p>Collections are EIP-1167 clones: the clone DELEGATECALLs the implementation with 63/64 of the gas it has (EIP-150),
     * so running out of gas inside leaves 1/64 behind, and the clone then reverts with empty data. A revert without a named
     * reason that used at least 63/64 of the gas limit is therefore out of gas too. A real revert uses far less: quotes carry
     * a margin, and a named reason wins over this rule anyway.
     */
    private ChainFailure diagnose(TransactionReceipt receipt) {
        org.web3j.protocol.core.methods.response.Transaction tx = send("eth_getTransactionByHash",
                List.of(receipt.getTransactionHash()), EthTransaction.class).getTransaction().orElse(null);
        if (tx == null || tx.getGas() == null) {
            return ChainFailure.REVERTED;
        }
        BigInteger gasUsed = receipt.getGasUsed();
        if (tx.getGas().equals(gasUsed)) {
            return ChainFailure.OUT_OF_GAS;
        }
        boolean nearlyAllGasUsed = gasUsed.multiply(BigInteger.valueOf(64))
                .compareTo(tx.getGas().multiply(BigInteger.valueOf(63))) >= 0;
        Transaction replay = Transaction.createFunctionCallTransaction(tx.getFrom(), null, null, tx.getGas(), tx.getTo(),
                tx.getValue(), tx.getInput());
        ChainFailure failure;
        String detail;
        try {
            rpc.send("eth_call", List.of(replay, Numeric.encodeQuantity(receipt.getBlockNumber())), EthCall.class);
            failure = ChainFailure.REVERTED;
            detail = "its replay at block " + receipt.getBlockNumber() + " succeeds: the state changed since";
        } catch (JsonRpcErrorException e) {
            RevertDecoder.Decoded decoded = RevertDecoder.decode(e);
            failure = decoded.failure();
            detail = decoded.detail();
        }
        if (failure == ChainFailure.REVERTED && nearlyAllGasUsed) {
            failure = ChainFailure.OUT_OF_GAS;
            detail = "used " + gasUsed + " of its " + tx.getGas() + " gas (" + detail + ")";
        }
        LOG.log(Level.INFO, "Transaction {0} reverted: {1}: {2}", receipt.getTransactionHash(), failure, detail);
        return failure;
    }

    /** {@code eth_call} from the minter; a revert becomes {@link ChainRejectedException}. */
    private String call(Address to, String data, String block) {
        try {
            return callRaw(to, data, block);
        } catch (JsonRpcErrorException e) {
            RevertDecoder.Decoded decoded = RevertDecoder.decode(e);
            throw new ChainRejectedException(decoded.failure(), decoded.detail());
        }
    }

    /** {@code eth_call} from the minter, at {@code block} ("latest" or a quantity); "0x" when the address has no code. */
    private String callRaw(Address to, String data, String block) {
        Transaction call = Transaction.createEthCallTransaction(minter.lowerCase(), to.lowerCase(), data);
        String value = rpc.send("eth_call", List.of(call, block), EthCall.class).getValue();
        return value == null ? "0x" : value;
    }

    /**
     * A read. Its JSON-RPC error (an internal error, a missing header on a lagging node) is the node's trouble, not an answer
     * about the chain: reported as {@link ChainUnavailableException}, so a batch whose transaction may land is never failed
     * on it, and the breaker counts it.
     */
    private <T extends Response<?>> T send(String method, List<?> params, Class<T> type) {
        try {
            return rpc.send(method, params, type);
        } catch (JsonRpcErrorException e) {
            throw new ChainUnavailableException("the node answered with an error, not an answer about the chain: "
                    + e.getMessage(), e);
        }
    }

    private static void notNull(String name, Object value) {
        Settings.notNull(name, value);
    }
}
