package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.internal.FactoryCalls;
import dev.basenft.adapter.base.rpc.internal.JsonRpcErrorException;
import dev.basenft.adapter.base.rpc.internal.MintFinder;
import dev.basenft.adapter.base.rpc.internal.MintReceipts;
import dev.basenft.adapter.base.rpc.internal.RevertDecoder;
import dev.basenft.adapter.base.rpc.internal.RpcClient;
import dev.basenft.adapter.base.rpc.internal.SharedReads;
import dev.basenft.adapter.base.rpc.internal.TransportException;
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
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.UnsignedCall;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.CollectionFactory;
import dev.basenft.core.port.out.DeploymentCheck;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGasPrice;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.utils.Numeric;

/**
 * The chain gateway to Base over JSON-RPC: core's {@link Chain} for the minter wallet and {@link CollectionFactory} for
 * creators' deployments, plus a readiness probe for {@code /health/ready}.
 *
 * <p>Transactions are EIP-1559, signed locally for the configured chain id; {@link #signMint} sends nothing, so the worker can
 * store the raw bytes before {@link #broadcast} (the write-ahead layer). Every node call goes through the configured RPC URLs in
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
    private final MintReceipts receipts;
    private final MintFinder mints;
    private final FactoryCalls factoryCalls;
    /**
     * The last bare estimate for a mint of so many recipients into a collection of some code, or the one being made: see
     * {@link #gasNeeded}.
     */
    private final Map<MintShape, CompletableFuture<Long>> knownMintGas = new ConcurrentHashMap<>();
    /** Each collection's code, as {@link MintShape} names it, or the read being made: see {@link #codeOf}. */
    private final Map<Address, CompletableFuture<String>> collectionCode = new ConcurrentHashMap<>();
    /**
     * The fee and balance reads on their way, which threads asking at once share (see {@link SharedReads}): every quote
     * reads the fees, and every fresh batch the minter's balance.
     */
    private final SharedReads<Boolean, Fees> feeReads = new SharedReads<>();
    private final SharedReads<Address, Wei> balanceReads = new SharedReads<>();
    /** Cleared for good when an endpoint answers that it has no {@code eth_sendRawTransactionSync}. */
    private final AtomicBoolean sendSync;

    /** Calls that run a mint on the node, at most so many at once per process: see {@link #runningAMint}. */
    private static final int MINT_RUNS_AT_ONCE = 4;
    private final Semaphore mintRuns = new Semaphore(MINT_RUNS_AT_ONCE, true);

    /** Shapes whose gas is kept: a worker's campaigns at once, each with a few batch sizes, fit many times over. */
    private static final int KNOWN_SHAPES = 4096;
    /** The refusals a known gas's check passes on as they are; any other error of the check leaves it to an estimate. */
    private static final Set<ChainFailure> NAMED_REFUSALS = EnumSet.of(ChainFailure.BATCH_KEY_USED, ChainFailure.PAUSED,
            ChainFailure.MISSING_ROLE, ChainFailure.INVALID_RECIPIENT);

    /**
     * A mint of {@code recipients} recipients into a collection whose code is {@code code} (see {@link #codeOf}): what its
     * gas depends on, but for calldata and the collection's state.
     */
    private record MintShape(String code, int recipients) {
    }

    /** EIP-7966's error code for "added to the mempool, no receipt within the timeout". */
    private static final int SYNC_TIMEOUT = 4;
    /** EIP-7966's error code for "added to the mempool, not processable yet" (a nonce gap, funds). */
    private static final int SYNC_NOT_READY = 5;
    /** JSON-RPC 2.0's "method not found". */
    private static final int METHOD_NOT_FOUND = -32601;
    /** JSON-RPC 2.0's "invalid params": a node whose form of the method differs from EIP-7966's. */
    private static final int INVALID_PARAMS = -32602;
    private static final Pattern NO_SUCH_METHOD = Pattern.compile(
            "(?i).*(method|eth_sendRawTransactionSync).*(not found|not supported|does not exist|unsupported|not available"
                    + "|not allowed|unknown).*");

    private BaseRpcChain(BaseRpcSettings settings, RpcClient rpc) {
        this.settings = settings;
        this.rpc = rpc;
        this.minter = settings.minter();
        this.receipts = new MintReceipts(rpc);
        this.factoryCalls = new FactoryCalls(settings.chainId(), settings.factory(), minter, receipts,
                (to, data) -> call(to, data, "latest"));
        this.mints = new MintFinder(rpc, receipts, minter, settings.logsFromBlock(), settings.logsBlockRange());
        this.sendSync = new AtomicBoolean(settings.sendSync());
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
        return connect(settings, RpcCallObserver.NONE);
    }

    /**
     * As {@link #connect(BaseRpcSettings)}, telling {@code observer} of every request to an endpoint (the application's
     * metrics).
     *
     * @param observer never null; {@link RpcCallObserver#NONE} to observe nothing
     */
    public static BaseRpcChain connect(BaseRpcSettings settings, RpcCallObserver observer) {
        Require.notNull("settings", settings);
        Require.notNull("observer", observer);
        RetrySettings retry = settings.retry();
        RpcClient rpc = new RpcClient(settings.rpcUrls(), settings.chainId().value(), settings.callTimeout(),
                retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(), retry.jitter(), settings.failoverCooldown(),
                observer);
        try {
            rpc.verifyChainIds();
        } catch (ChainUnavailableException e) {
            LOG.log(Level.WARNING, "No RPC endpoint answered at start ({0}); starting unready, each endpoint''s chain id is"
                    + " checked when it first answers", e.getMessage());
        } catch (RuntimeException e) {
            rpc.close();
            throw e;
        }
        LOG.log(Level.INFO, "Connected to chain {0} through {1,number,#} RPC endpoint(s); minter {2}, factory {3}",
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
        Require.notNull("wallet", wallet);
        return send("eth_getTransactionCount", List.of(wallet.lowerCase(), block), EthGetTransactionCount.class)
                .getTransactionCount().longValueExact();
    }

    @Override
    public Wei balance(Address wallet) {
        Require.notNull("wallet", wallet);
        return balanceReads.read(wallet, () -> new Wei(send("eth_getBalance", List.of(wallet.lowerCase(), "latest"),
                EthGetBalance.class).getBalance()));
    }

    /**
     * The gas limit of the latest block, from {@code eth_getBlockByNumber}: what sizes batches to the chain
     * ({@code dev.basenft.core.planning.ChainCapacity}).
     *
     * @throws ChainUnavailableException when no endpoint answers, or the node has no latest block
     */
    public long blockGasLimit() {
        EthBlock.Block block = send("eth_getBlockByNumber", List.of("latest", false), EthBlock.class).getBlock();
        if (block == null || block.getGasLimitRaw() == null) {
            throw new ChainUnavailableException("eth_getBlockByNumber(latest) returned no block with a gas limit");
        }
        return block.getGasLimit().longValueExact();
    }

    /** {@code maxFeePerGas = 2 × baseFee(latest block) + priorityFee}, the priority fee from the settings. */
    @Override
    public Fees currentFees() {
        return feeReads.read(Boolean.TRUE, () -> {
            EthBlock.Block block = send("eth_getBlockByNumber", List.of("latest", false), EthBlock.class).getBlock();
            BigInteger baseFee = block == null || block.getBaseFeePerGasRaw() == null
                    // A chain without EIP-1559 blocks: the legacy gas price stands in for the base fee.
                    ? send("eth_gasPrice", List.of(), EthGasPrice.class).getGasPrice()
                    : block.getBaseFeePerGas();
            return Fees.forBaseFee(new Wei(baseFee), settings.priorityFee());
        });
    }

    @Override
    public boolean batchKeyUsed(Address collection, BatchKey key) {
        Require.notNull("collection", collection);
        Require.notNull("key", key);
        return Abi.decodeBool(call(collection, Abi.batchKeyUsed(key), "latest"));
    }

    @Override
    public long blockNumber() {
        return send("eth_blockNumber", List.of(), EthBlockNumber.class).getBlockNumber().longValueExact();
    }

    /**
     * {@code eth_getTransactionCount} at {@code block}. A node that has not reached the block answers with an error
     * ("header not found", anvil's "BlockOutOfRangeError"), which, as for every read, is {@link ChainUnavailableException}.
     */
    @Override
    public long nonceAt(Address wallet, long block) {
        return transactionCount(wallet, blockTag(block));
    }

    /** {@code usedBatchKeys(key)} by {@code eth_call} at {@code block}; a node without the block: as {@link #nonceAt}. */
    @Override
    public boolean batchKeyUsedAt(Address collection, BatchKey key, long block) {
        Require.notNull("collection", collection);
        Require.notNull("key", key);
        Transaction call = Transaction.createEthCallTransaction(minter.lowerCase(), collection.lowerCase(),
                Abi.batchKeyUsed(key));
        String value = send("eth_call", List.of(call, blockTag(block)), EthCall.class).getValue();
        return Abi.decodeBool(value == null ? "0x" : value);
    }

    private static String blockTag(long block) {
        if (block < 0) {
            throw new IllegalArgumentException("block must not be negative, got " + block);
        }
        return Numeric.encodeQuantity(BigInteger.valueOf(block));
    }

    // --------------------------------------------------------------------------------------- Chain: mint lifecycle

    /**
     * The gas a mint needs, plus the margin, capped at the per-transaction cap; priced at {@link #currentFees()}. The gas is
     * {@code eth_estimateGas} from the minter, or, once an estimate for a mint of as many recipients into a collection
     * with the same code is known (every collection of the factory has the same), that estimate, checked by one
     * {@code eth_call} with the gas limit it gives (see {@link #gasNeeded}).
     *
     * @throws ChainRejectedException when the mint reverts (BATCH_KEY_USED, PAUSED, MISSING_ROLE, INVALID_RECIPIENT…)
     *         or needs more gas than one transaction may have (OUT_OF_GAS)
     */
    @Override
    public MintQuote quoteMint(MintCall call) {
        Require.notNull("call", call);
        String data = Abi.mintBatch(call.batchKey(), call.recipients());
        long gas = gasNeeded(new MintShape(codeOf(call.collection()), call.recipients().size()), data, call.collection());
        if (gas > settings.gasCap()) {
            throw new ChainRejectedException(ChainFailure.OUT_OF_GAS, "the mint of " + call.recipients().size()
                    + " recipients needs " + gas + " gas, above the per-transaction cap of " + settings.gasCap()
                    + "; plan smaller batches");
        }
        return new MintQuote(gasLimit(gas), currentFees());
    }

    /** The gas limit a mint needing {@code gas} is signed with: the margin added, capped at the per-transaction cap. */
    private long gasLimit(long gas) {
        long withMargin = BigInteger.valueOf(gas).multiply(BigInteger.valueOf(100L + settings.gasMarginPercent()))
                .add(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100)).longValueExact();
        return Math.min(withMargin, settings.gasCap());
    }

    /**
     * The gas the mint in {@code data} into {@code collection} needs: the estimate known for {@code shape}, when the mint
     * succeeds now with the gas limit that estimate gives ({@link #gasLimit}), or else a new estimate, which becomes the
     * known one.
     *
     * <p>Why: every fresh batch is quoted, and a batch of a campaign differs from the one before only in its key and its
     * recipients, which cost the same gas each (a fresh owner slot, a balance slot, a log), but for the calldata's zero
     * bytes: at most 240 gas per recipient, about 0.5 %. A batch of another collection with the same code runs the same
     * instructions; its state differs by a few counters (the first mint into a new collection sets them from zero, about
     * 20k gas more), well inside the margin, and the check below is there for whatever else differs. So a drop's first
     * batch is not estimated again once any drop of the same size has been, and twenty drops starting at once share one
     * estimate (one of 0.3 to 1.2 s on a busy anvil was seen holding back every batch of its worker: docs/benchmarks.md,
     * Stop 29). An estimate is a binary search that runs the mint many times (anvil 1.7.1: 37 ms against 6.7 ms for one
     * run of a 330-recipient mint; docs/benchmarks.md, Stop 26), where the
     * check runs it once, with the very gas limit the transaction will be signed with. It checks at that limit, not at
     * the bare estimate, because the bare estimate is the least gas the first batch needed, which a batch with fewer zero
     * bytes exceeds; the asked gas, and so the packing of blocks, stays what the estimate gives. The check keeps what the
     * estimate was also for: a used batch key, a pause or a missing role come back as the same named refusal.
     *
     * <p>A shape is estimated once even when many batches are quoted at once, as at the start of a distribution, when a
     * worker takes up to a hundred: the first estimates and the others wait for its answer, then check it. Before, the
     * hundred estimates ran at once on the node, and the first signing waited for all of them.
     *
     * @throws ChainRejectedException when the mint reverts
     * @throws ChainUnavailableException when no node answers
     */
    private long gasNeeded(MintShape shape, String data, Address collection) {
        if (knownMintGas.size() >= KNOWN_SHAPES) {
            knownMintGas.clear(); // a bound, not a cache policy: each shape costs one estimate to learn again
        }
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> known = knownMintGas.putIfAbsent(shape, mine);
        if (known == null) {
            try {
                long gas = estimateMint(collection, data);
                mine.complete(gas);
                return gas;
            } catch (RuntimeException e) {
                // This batch's refusal (its key used, say) or an outage says nothing the next batch can use.
                knownMintGas.remove(shape, mine);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        OptionalLong learnt = answerOf(known);
        if (learnt.isPresent() && succeedsWith(gasLimit(learnt.getAsLong()), collection, data)) {
            return learnt.getAsLong();
        }
        long gas = estimateMint(collection, data);
        knownMintGas.put(shape, CompletableFuture.completedFuture(gas));
        return gas;
    }

    /**
     * How {@link MintShape} names {@code collection}'s code: the Keccak hash of its runtime code, read once per collection
     * by {@code eth_getCode} (threads asking at once wait for the one read), or, for an address without code, the address
     * itself, so no two such addresses share what was learnt.
     *
     * @throws ChainUnavailableException when no node answers
     */
    private String codeOf(Address collection) {
        if (collectionCode.size() >= KNOWN_SHAPES) {
            collectionCode.clear(); // a bound, as for the shapes: each collection costs one read to learn again
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> known = collectionCode.putIfAbsent(collection, mine);
        if (known != null) {
            try {
                return known.get();
            } catch (ExecutionException e) {
                // the read of another thread failed: this one reads for itself below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException("interrupted while the code of " + collection + " was read", e);
            }
            mine = new CompletableFuture<>();
            collectionCode.put(collection, mine);
        }
        try {
            String code = send("eth_getCode", List.of(collection.lowerCase(), "latest"), EthGetCode.class).getCode();
            String name = code == null || Numeric.cleanHexPrefix(code).isEmpty() ? "no code at " + collection.lowerCase()
                    : Hash.sha3(code);
            mine.complete(name);
            return name;
        } catch (RuntimeException e) {
            collectionCode.remove(collection, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** What another thread's estimate of the shape came to; empty when it failed (or this thread was interrupted). */
    private static OptionalLong answerOf(CompletableFuture<Long> estimate) {
        try {
            return OptionalLong.of(estimate.get());
        } catch (ExecutionException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /**
     * Whether the mint in {@code data} succeeds now with {@code gasLimit}, by one {@code eth_call} from the minter.
     *
     * @throws ChainRejectedException when the mint reverts with one of the contract's named refusals
     * @throws ChainUnavailableException when no node answers (an estimate would not be answered either)
     */
    private boolean succeedsWith(long gasLimit, Address collection, String data) {
        Transaction check = Transaction.createFunctionCallTransaction(minter.lowerCase(), null, null,
                BigInteger.valueOf(gasLimit), collection.lowerCase(), data);
        try {
            runningAMint(() -> rpc.send("eth_call", List.of(check, "latest"), EthCall.class));
            return true;
        } catch (JsonRpcErrorException e) {
            if (RevertDecoder.isVerdict(e)) {
                RevertDecoder.Decoded decoded = RevertDecoder.decode(e);
                if (NAMED_REFUSALS.contains(decoded.failure())) {
                    throw new ChainRejectedException(decoded.failure(), decoded.detail());
                }
            }
            // Out of gas at that limit (through the clone's DELEGATECALL, a revert without a reason), or the node's own
            // error: the estimate decides, as it would have without a known gas.
            return false;
        }
    }

    /**
     * {@code call}, a request that makes the node run a mint, once one of {@link #MINT_RUNS_AT_ONCE} turns is free. A
     * node runs such calls side by side on its cores, each slower the more there are: a hundred quotes at once (a worker
     * starting a distribution at 400M-gas blocks) all came back late, and so did the first signing; a few at a time come
     * back in the order asked, at the same rate in all (anvil on two cores: the first of 96 answered after 21 ms instead
     * of 193, the last after 596 ms either way). Fair, so batches are quoted in the order they asked.
     */
    private <T> T runningAMint(Supplier<T> call) {
        mintRuns.acquireUninterruptibly();
        try {
            return call.get();
        } finally {
            mintRuns.release();
        }
    }

    /** {@code eth_estimateGas} of {@code data} from the minter to {@code collection}, without the margin. */
    private long estimateMint(Address collection, String data) {
        Transaction estimate = Transaction.createFunctionCallTransaction(minter.lowerCase(), null, null, null,
                collection.lowerCase(), data);
        try {
            return runningAMint(() -> rpc.send("eth_estimateGas", List.of(estimate), EthEstimateGas.class))
                    .getAmountUsed().longValueExact();
        } catch (JsonRpcErrorException e) {
            if (!RevertDecoder.isVerdict(e)) {
                // A node's own failure is no answer about the mint: failing the batch on it would need an operator.
                throw new ChainUnavailableException("eth_estimateGas: the node answered with an error, not a revert: "
                        + e.getMessage(), e);
            }
            RevertDecoder.Decoded decoded = RevertDecoder.decode(e);
            throw new ChainRejectedException(decoded.failure(), decoded.detail());
        }
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
        Require.notNull("call", call);
        Require.notNull("quote", quote);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
        if (quote.gasLimit() > settings.gasCap()) {
            throw new IllegalArgumentException("quote.gasLimit " + quote.gasLimit() + " is above the per-transaction gas cap "
                    + settings.gasCap());
        }
        MinterKey key = settings.minterKey().orElseThrow(() -> new IllegalStateException("this chain gateway has no minter "
                + "key (it was built with the minter's address only, for a process that never signs)"));
        return signedMint(call, nonce, quote, key.credentials(), minter);
    }

    private SignedTransaction signedMint(MintCall call, long nonce, MintQuote quote, Credentials key, Address from) {
        RawTransaction raw = RawTransaction.createTransaction(settings.chainId().value(), BigInteger.valueOf(nonce),
                BigInteger.valueOf(quote.gasLimit()), call.collection().lowerCase(), BigInteger.ZERO,
                Abi.mintBatch(call.batchKey(), call.recipients()), quote.fees().maxPriorityFeePerGas().value(),
                quote.fees().maxFeePerGas().value());
        // The typed (EIP-2718) overload: the chain id is inside the signed payload, no EIP-155 v arithmetic.
        byte[] signed = TransactionEncoder.signMessage(raw, key);
        String hex = Numeric.toHexString(signed);
        return new SignedTransaction(new TxHash(Hash.sha3(hex)), hex, from, nonce, quote.gasLimit(), quote.fees());
    }

    /**
     * Signs {@code signatures} throwaway mints of {@code recipients} recipients each, as {@link #signMint} signs, with a key
     * made up for the purpose, and drops them: nothing is sent, kept or logged, and the minter's key is not used. For a
     * worker about to take batches. The JVM compiles the signing code (elliptic-curve arithmetic, Keccak, RLP) only once it
     * has run many times; until then a signature costs many times more (measured on an idle 2-core machine: 21 ms for the
     * first, 1 to 2 ms up to about the thirtieth, 0.4 ms after a few hundred). Every signature for a wallet is made during
     * that wallet's turn to write ahead, so at the start of a drop the slow ones held up every worker on the wallet (two
     * workers at 400M-gas blocks: about 10 ms a signature in their first second). Thread-safe.
     *
     * @param signatures 1 to 10,000
     * @param recipients per mint, 1 to 10,000: the batch size, so the transactions are the size of real ones
     * @return how many were signed, with which made-up signer, and how long they took
     */
    public SigningWarmUp warmUpSigning(int signatures, int recipients) {
        Require.between("signatures", signatures, 1, 10_000);
        Require.between("recipients", recipients, 1, 10_000);
        long start = System.nanoTime();
        Credentials throwaway = throwawayKey("warm up signing");
        Address signer = Address.parse(throwaway.getAddress());
        List<Address> to = IntStream.range(0, recipients)
                .mapToObj(i -> Address.ofBytes(ByteBuffer.allocate(20).putInt(16, i + 1).array()))
                .toList();
        MintCall call = new MintCall(signer, new BatchKey("0x" + "11".repeat(32)), to);
        MintQuote quote = new MintQuote(settings.gasCap(), new Fees(Wei.gwei(2), Wei.gwei(1)));
        for (int nonce = 0; nonce < signatures; nonce++) {
            signedMint(call, nonce, quote, throwaway, signer);
        }
        return new SigningWarmUp(signatures, signer, Duration.ofNanos(System.nanoTime() - start));
    }

    /** A key made up now, for a signature nobody will send; {@code purpose} names it if the JVM cannot make one. */
    private static Credentials throwawayKey(String purpose) {
        try {
            return Credentials.create(Keys.createEcKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make a throwaway key to " + purpose, e);
        }
    }

    /**
     * What {@link #warmUpSigning} did.
     *
     * @param signatures how many throwaway mints were signed
     * @param signer the made-up key's address, never the minter's
     * @param took the whole warm-up, the made-up key's making included
     */
    public record SigningWarmUp(int signatures, Address signer, Duration took) {

        public SigningWarmUp {
            Require.positive("signatures", signatures);
            Require.notNull("signer", signer);
            Require.notNull("took", took);
        }
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
        Require.notNull("transaction", transaction);
        TxHash computed = new TxHash(Hash.sha3(transaction.raw()));
        if (!computed.equals(transaction.hash())) {
            throw new IllegalArgumentException("transaction.hash " + transaction.hash()
                    + " is not the hash of its raw bytes (" + computed + "): the stored record is corrupt");
        }
        try {
            if (sendSync.get()) {
                Optional<BroadcastResult> synced = sendSync(transaction);
                if (synced.isPresent()) {
                    return synced.get();
                }
            }
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
            LOG.log(Level.INFO, "Node refused transaction {0} (nonce {1,number,#}): {2}", transaction.hash(), transaction.nonce(),
                    e.rpcMessage());
            return new BroadcastResult.Rejected(decoded.failure(), e.rpcMessage());
        }
    }

    /**
     * {@code eth_sendRawTransactionSync} (EIP-7966): accepted with the receipt when the node answers with one; accepted
     * without it when the node says it waited in vain (code 4) or took the transaction but cannot process it yet (code 5);
     * empty, and never tried again, when the endpoint has no such method or takes other parameters; empty for any other
     * error, so that {@link #broadcast} asks {@code eth_sendRawTransaction} (sending the same bytes twice is safe: the
     * second is "already known", or gets the same refusal).
     */
    private Optional<BroadcastResult> sendSync(SignedTransaction transaction) {
        try {
            // Without EIP-7966's optional timeout: anvil 1.7 takes the raw transaction alone (it refuses a second
            // parameter, as a number and as hex), and the node's own wait (EIP-7966 recommends 2 s) is within the HTTP
            // call timeout; a wait cut short by that timeout is an unknown fate like any lost answer, which the worker
            // already handles.
            // Read as an OP-stack receipt, so a Base node's l1Fee is kept as for a polled receipt.
            Optional<MintReceipts.OpReceipt> receipt = rpc.send("eth_sendRawTransactionSync", List.of(transaction.raw()),
                    MintReceipts.GetOpReceipt.class).getTransactionReceipt();
            if (receipt.isEmpty() || !transaction.hash().value().equalsIgnoreCase(receipt.get().getTransactionHash())) {
                // Not the answer the method promises; the receipt is looked up the ordinary way.
                return Optional.of(new BroadcastResult.Accepted(transaction.hash()));
            }
            TransactionReceipt r = receipt.get();
            Address collection = r.getTo() == null ? null : Address.parse(r.getTo());
            return Optional.of(new BroadcastResult.Accepted(transaction.hash(),
                    Optional.of(receipts.toMintReceipt(r, collection))));
        } catch (JsonRpcErrorException e) {
            if (e.code() == SYNC_TIMEOUT || e.code() == SYNC_NOT_READY) {
                LOG.log(Level.DEBUG, "eth_sendRawTransactionSync took {0} without a receipt: {1}", transaction.hash(),
                        e.rpcMessage());
                return Optional.of(new BroadcastResult.Accepted(transaction.hash()));
            }
            if (e.code() == METHOD_NOT_FOUND || e.code() == INVALID_PARAMS
                    || NO_SUCH_METHOD.matcher(e.rpcMessage()).matches()) {
                noSendSync(e.rpcMessage());
            } else {
                LOG.log(Level.DEBUG, "eth_sendRawTransactionSync refused {0} ({1}); asking eth_sendRawTransaction for the"
                        + " verdict", transaction.hash(), e.rpcMessage());
            }
            // Whatever the sync method objected to, the plain method's answer to the same bytes is the verdict: a refusal
            // of the sync call's own form must never pass for a refusal of the transaction.
            return Optional.empty();
        } catch (ChainUnavailableException e) {
            if (e.getCause() instanceof TransportException t && !t.retryable()) {
                // Every endpoint refused the request at the HTTP level (a provider's 4xx for a method it does not serve):
                // the plain method is what it serves.
                noSendSync(e.getMessage());
                return Optional.empty();
            }
            if (timedOut(e)) {
                // The node held the call past RPC_TIMEOUT_SECONDS (its own wait is longer, or it waits for a block that is
                // not coming, as anvil without mining does). Every later send would cost the same wait and count as an
                // endpoint failure, so the plain method is used from now on; whether these bytes arrived, it answers.
                noSendSync("it held the call past the RPC timeout: " + e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void noSendSync(String why) {
        if (sendSync.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "The RPC endpoint has no eth_sendRawTransactionSync ({0}); sending with"
                    + " eth_sendRawTransaction and polling for receipts from now on", why);
        }
    }

    /** Whether {@link #broadcast} still tries {@code eth_sendRawTransactionSync}. */
    public boolean sendsSync() {
        return sendSync.get();
    }

    /**
     * The chain's block time, measured from block timestamps: the latest block's and the one {@code span} blocks before it
     * (fewer on a young chain). Timestamps are whole seconds, so a short span of sub-second blocks measures as zero.
     *
     * @param span blocks to average over; positive
     * @return the mean time between blocks, or empty when the chain has only its genesis block
     * @throws ChainUnavailableException when no node answers
     */
    public Optional<Duration> measureBlockTime(int span) {
        Require.positive("span", span);
        EthBlock.Block latest = send("eth_getBlockByNumber", List.of("latest", false), EthBlock.class).getBlock();
        if (latest == null || latest.getNumber().signum() == 0) {
            return Optional.empty();
        }
        long head = latest.getNumber().longValueExact();
        long from = Math.max(0, head - span);
        EthBlock.Block earlier = send("eth_getBlockByNumber", List.of(blockTag(from), false), EthBlock.class).getBlock();
        if (earlier == null) {
            return Optional.empty();
        }
        long seconds = latest.getTimestamp().subtract(earlier.getTimestamp()).longValueExact();
        return Optional.of(Duration.ofMillis(Math.max(0, seconds) * 1000 / (head - from)));
    }

    /**
     * Mined (receipt, tokens from its Transfer logs, the failure named when it reverted), pending (in the node's pool, or
     * known but without a receipt yet on a lagging node), or unknown.
     */
    @Override
    public TransactionStatus status(TxHash hash) {
        Require.notNull("hash", hash);
        // Read with the OP stack's l1Fee, so the batch records what it paid.
        Optional<MintReceipts.OpReceipt> receipt = receipts.receipt(hash);
        if (receipt.isPresent()) {
            TransactionReceipt r = receipt.get();
            Address collection = r.getTo() == null ? null : Address.parse(r.getTo());
            return new TransactionStatus.Mined(receipts.toMintReceipt(r, collection));
        }
        boolean known = send("eth_getTransactionByHash", List.of(hash.value()), EthTransaction.class).getTransaction()
                .isPresent();
        return known ? new TransactionStatus.Pending() : new TransactionStatus.Unknown();
    }

    /** See {@link MintFinder}: the logs from {@code fromBlock} (or the configured floor) in bounded ranges, newest first. */
    @Override
    public Optional<MintReceipt> findMint(Address collection, BatchKey key, long fromBlock) {
        Require.notNull("collection", collection);
        Require.notNull("key", key);
        if (fromBlock < 0) {
            throw new IllegalArgumentException("fromBlock must not be negative, got " + fromBlock);
        }
        return mints.find(collection, key, fromBlock);
    }

    // ------------------------------------------------------------------------------------------ CollectionFactory

    /** {@code createCollection(campaignKey, name, symbol, baseUri)} on our factory, for the creator's wallet, no value. */
    /** A plain EIP-1559 transfer of zero wei from the minter to itself: no call data, so it can never mint anything. */
    @Override
    public SignedTransaction signFiller(long nonce, Fees fees) {
        Require.notNull("fees", fees);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
        RawTransaction raw = RawTransaction.createTransaction(settings.chainId().value(), BigInteger.valueOf(nonce),
                BigInteger.valueOf(FillerTransaction.GAS_LIMIT), minter.lowerCase(), BigInteger.ZERO, "",
                fees.maxPriorityFeePerGas().value(), fees.maxFeePerGas().value());
        MinterKey key = settings.minterKey().orElseThrow(() -> new IllegalStateException("this chain gateway has no minter "
                + "key (it was built with the minter's address only, for a process that never signs)"));
        byte[] signed = TransactionEncoder.signMessage(raw, key.credentials());
        String hex = Numeric.toHexString(signed);
        return new SignedTransaction(new TxHash(Hash.sha3(hex)), hex, minter, nonce, FillerTransaction.GAS_LIMIT, fees);
    }

    @Override
    public UnsignedCall deployCall(Campaign campaign) {
        return factoryCalls.deployCall(campaign);
    }

    /** The factory's own {@code predictCollection} view, so the answer is the CREATE2 address the factory will use. */
    @Override
    public Address predictCollection(Address creatorWallet, CampaignId campaign) {
        return factoryCalls.predictCollection(creatorWallet, campaign);
    }

    /** See {@link FactoryCalls#verifyDeployment}. */
    @Override
    public DeploymentCheck verifyDeployment(TxHash deployTransaction) {
        return factoryCalls.verifyDeployment(deployTransaction);
    }

    @Override
    public boolean minterHasRole(Address collection) {
        return factoryCalls.minterHasRole(collection);
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
        long block = blockNumber();
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

    /** The OP stack's GasPriceOracle predeploy, which prices the L1 data a transaction on Base posts. */
    public static final Address GAS_PRICE_ORACLE = Address.parse("0x420000000000000000000000000000000000000F");

    /**
     * An upper bound of the L1 data fee of a mint to {@code recipients} recipients, from the GasPriceOracle predeploy's
     * {@code getL1FeeUpperBound(uint256)} (Base since Fjord). A chain without the predeploy (anvil, plain Ethereum) charges
     * no L1 data fee: empty.
     *
     * @param recipients the batch size; positive
     * @return the bound, or empty when the chain has no GasPriceOracle
     * @throws ChainUnavailableException when no node answers
     */
    public Optional<Wei> l1DataFeeUpperBound(int recipients) {
        Require.positive("recipients", recipients);
        String code = send("eth_getCode", List.of(GAS_PRICE_ORACLE.lowerCase(), "latest"), EthGetCode.class).getCode();
        if (code == null || Numeric.cleanHexPrefix(code).isEmpty()) {
            return Optional.empty();
        }
        // The unsigned transaction: the mint's calldata plus the envelope (type, chain id, nonce, fees, gas, to, value,
        // empty access list), which stays under 64 bytes.
        List<Address> sample = java.util.Collections.nCopies(recipients, GAS_PRICE_ORACLE);
        int calldata = Numeric.hexStringToByteArray(Abi.mintBatch(new BatchKey("0x" + "f".repeat(64)), sample)).length;
        String data = Abi.selector("getL1FeeUpperBound(uint256)")
                + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(calldata + 64L), 64);
        String answer = Numeric.cleanHexPrefix(callRaw(GAS_PRICE_ORACLE, data, "latest"));
        return answer.length() < 64 ? Optional.empty() : Optional.of(new Wei(new BigInteger(answer.substring(0, 64), 16)));
    }

    /**
     * The base fee of the next block, as the node computes it with its chain's own EIP-1559 rules (which differ on the OP
     * stack): the last entry of {@code eth_feeHistory}. The latest block's base fee is what its transactions paid; the next
     * transaction pays this one.
     *
     * @throws ChainUnavailableException when no node answers
     */
    public Wei nextBaseFee() {
        java.util.List<BigInteger> fees = send("eth_feeHistory", List.of("0x1", "latest", List.of()),
                org.web3j.protocol.core.methods.response.EthFeeHistory.class).getFeeHistory().getBaseFeePerGas();
        if (fees == null || fees.isEmpty()) {
            // A chain without EIP-1559 blocks: its gas price stands in, as in currentFees.
            return new Wei(send("eth_gasPrice", List.of(), EthGasPrice.class).getGasPrice());
        }
        return new Wei(fees.getLast());
    }

    /**
     * The gas a mint of {@code call} needs now: {@code eth_estimateGas} from the minter, without the margin
     * {@link #quoteMint} adds. For estimating what a campaign will cost, not for signing.
     *
     * @throws ChainRejectedException when the mint would revert (the minter lacks the role, the collection is paused…)
     * @throws ChainUnavailableException when no node answers
     */
    public long mintGas(MintCall call) {
        Require.notNull("call", call);
        return estimateMint(call.collection(), Abi.mintBatch(call.batchKey(), call.recipients()));
    }

    /**
     * The L1 data fee a mint of {@code call} would pay now, from the GasPriceOracle predeploy's {@code getL1Fee(bytes)} of
     * that mint as a signed EIP-1559 transaction with {@code quote}'s gas and fees. It is signed with a throwaway key: the
     * fee depends on the transaction's size and how well it compresses, not on who signed it, and a process that never
     * signs (the API server) has no minter key. A chain without the predeploy (anvil, plain Ethereum) charges no L1 data
     * fee: empty.
     *
     * @throws ChainUnavailableException when no node answers
     */
    public Optional<Wei> l1DataFee(MintCall call, MintQuote quote, long nonce) {
        Require.notNull("call", call);
        Require.notNull("quote", quote);
        String code = send("eth_getCode", List.of(GAS_PRICE_ORACLE.lowerCase(), "latest"), EthGetCode.class).getCode();
        if (code == null || Numeric.cleanHexPrefix(code).isEmpty()) {
            return Optional.empty();
        }
        Credentials throwaway = throwawayKey("sign the sample transaction");
        String bytes = Numeric.cleanHexPrefix(signedMint(call, nonce, quote, throwaway,
                Address.parse(throwaway.getAddress())).raw());
        // getL1Fee(bytes): the offset of the one dynamic argument, its length, then the bytes padded to a 32-byte word.
        int padded = (bytes.length() + 63) / 64 * 64;
        String data = Abi.selector("getL1Fee(bytes)")
                + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(32), 64)
                + Numeric.toHexStringNoPrefixZeroPadded(BigInteger.valueOf(bytes.length() / 2), 64)
                + bytes + "0".repeat(padded - bytes.length());
        String answer = Numeric.cleanHexPrefix(callRaw(GAS_PRICE_ORACLE, data, "latest"));
        return answer.length() < 64 ? Optional.empty() : Optional.of(new Wei(new BigInteger(answer.substring(0, 64), 16)));
    }

    /**
     * What the minter paid for a mined transaction: {@code gasUsed × effectiveGasPrice}, plus the L1 data fee when the
     * receipt carries one ({@code l1Fee}, on the OP stack).
     *
     * @return the fee in wei, or empty while the transaction has no receipt
     * @throws ChainUnavailableException when no node answers
     */
    public Optional<Wei> feePaid(TxHash hash) {
        Require.notNull("hash", hash);
        java.util.Map<String, Object> receipt = send("eth_getTransactionReceipt", List.of(hash.value()), RawReceipt.class)
                .getResult();
        if (receipt == null || receipt.get("gasUsed") == null) {
            return Optional.empty();
        }
        BigInteger gasUsed = Numeric.decodeQuantity(String.valueOf(receipt.get("gasUsed")));
        Object price = receipt.get("effectiveGasPrice");
        BigInteger fee = price == null ? BigInteger.ZERO : gasUsed.multiply(Numeric.decodeQuantity(String.valueOf(price)));
        Object l1Fee = receipt.get("l1Fee");
        if (l1Fee != null) {
            fee = fee.add(Numeric.decodeQuantity(String.valueOf(l1Fee)));
        }
        return Optional.of(new Wei(fee));
    }

    /** A receipt as the node sent it, with the fields web3j does not know ({@code l1Fee}). */
    public static final class RawReceipt extends Response<java.util.Map<String, Object>> {
    }

    // ------------------------------------------------------------------------------------------------- internals

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

    /** A read: see {@link MintReceipts#read}. */
    private <T extends Response<?>> T send(String method, List<?> params, Class<T> type) {
        return receipts.read(method, params, type);
    }
}
