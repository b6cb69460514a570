package dev.basenft.core.testing;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.internal.Keccak256;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BlockHash;
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
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.UnsignedCall;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.CollectionFactory;
import dev.basenft.core.port.out.DeploymentCheck;
import dev.basenft.core.port.out.NewBlocks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A chain in memory, faithful enough that the worker's exactly-once logic meets the situations a real Base node puts it in.
 * It implements both {@link Chain} (the minter's view) and {@link CollectionFactory}.
 *
 * <p>What it models:
 * <ul>
 *   <li>one minter wallet (a fixed, derived address) with a balance and a confirmed nonce; "pending nonce" counts the
 *       consecutive transactions waiting in the mempool;
 *   <li>a mempool keyed by (wallet, nonce): the same transaction again is "already known" (accepted); a different one on the
 *       same nonce replaces it only when both fee caps are at least {@value #MIN_REPLACEMENT_BUMP_PERCENT} % higher, else
 *       it is {@link ChainFailure#UNDERPRICED}; a used nonce is {@link ChainFailure#NONCE_TOO_LOW}; a transaction the
 *       wallet cannot pay {@code gasLimit × maxFeePerGas} for is {@link ChainFailure#INSUFFICIENT_FUNDS}; a nonce past a gap
 *       waits in the pool until the gap fills;
 *   <li>blocks: by default every accepted broadcast is mined at once (anvil's automine); with {@link #automine(boolean)}
 *       off, nothing is mined until {@link #mine()}. A block includes, per wallet, the consecutive pooled transactions whose
 *       {@code maxFeePerGas} covers the base fee, so raising the base fee ({@link #setBaseFee}) leaves a transaction stuck;
 *   <li>collections with sequential token ids from 1 and the contract's {@code mintBatch(batchKey, recipients)}: it
 *       reverts for a missing MINTER_ROLE, a paused collection, the zero address, too little gas, and a batch key it has
 *       seen ({@code BatchAlreadyUsed} → a reverted receipt with {@link ChainFailure#BATCH_KEY_USED}; the same on estimate
 *       → {@link ChainRejectedException}). {@link #batchKeyProtection(boolean) batchKeyProtection(false)} models a
 *       contract without that check, so tests can show the write-ahead ledger alone prevents duplicates;
 *   <li>deterministic local signing: the raw transaction is a fixed encoding of its fields and its hash is the Keccak-256
 *       of those bytes, so signing the same thing twice gives the same bytes, like RFC 6979 signatures.
 * </ul>
 *
 * <p>{@link #signFiller Fillers} are self-transfers of nothing: mined, they use {@value FillerTransaction#GAS_LIMIT} gas, pay
 * their fee and mint nothing; they obey the same mempool rules as mints.
 *
 * <p>Faults on demand: {@link #failNextCalls(int)} makes the next node calls time out with
 * {@link ChainUnavailableException}; {@link #refuseNextCalls(int)} makes them answer with a JSON-RPC error;
 * {@link #loseNextBroadcastResponse()} accepts (and, with automine, mines) the next broadcast but then throws as if the
 * response was lost; {@link #drop(TxHash)} removes a pending transaction from the mempool; {@link #automine(boolean)}
 * stops and starts mining; {@link #mineBlocks(int)} builds blocks on top of a receipt; {@link #reorg(int, boolean)} replaces
 * the last blocks, undoing their mints. Signing ({@link #signMint}) and {@link #minter()} are
 * local and never fail.
 *
 * <p>It records every mint ({@link #mints()}) and every broadcast that reached the node ({@link #broadcasts()}), and the
 * inspection methods ({@link #tokensOf}, {@link #confirmedNonce}, {@link #receipt}, …) never consume injected faults.
 *
 * <p>News of blocks ({@link NewBlocks}): {@link #awaitAbove} wakes when a block is mined, in real time (it waits on the
 * instance's monitor), so it suits tests with a second thread; it is not a node call and consumes no injected fault.
 * {@link #receiptsOnBroadcast(boolean)} answers broadcasts as {@code eth_sendRawTransactionSync} does, with the receipt when
 * the transaction was mined at once; {@link #unsealedBlocks(int)} models a Flashblocks node, whose receipts come from blocks
 * above the {@link #blockNumber} it answers.
 *
 * <p>Thread-safe: every method is synchronized on the instance. Arguments must be non-null.
 */
public final class FakeChain implements Chain, CollectionFactory, NewBlocks {

    /** Gas a {@code mintBatch} uses: a fixed part plus a part per recipient. */
    public static final long MINT_BASE_GAS = 60_000;
    /** Gas per minted token. */
    public static final long GAS_PER_RECIPIENT = 35_000;
    /** Gas a reverted {@code mintBatch} uses. */
    public static final long REVERT_GAS = 30_000;
    /** Base's per-transaction gas cap (EIP-7825's 2^24). */
    public static final long PER_TX_GAS_CAP = 16_777_216;
    /** The estimate's margin: quotes ask for 20 % more gas than the mint needs. */
    public static final int GAS_MARGIN_PERCENT = 20;
    /** How much both fee caps must rise for a same-nonce replacement (geth's default price bump). */
    public static final int MIN_REPLACEMENT_BUMP_PERCENT = 10;

    private static final byte RAW_TYPE = 0x02;
    /** The type byte of a {@link #signFiller filler}'s raw bytes: a self-transfer with no call data. */
    private static final byte RAW_FILLER_TYPE = 0x03;

    private final ChainId chainId;
    private final Address minter;
    private final Address factory;

    private final Map<Address, Wei> balances = new HashMap<>();
    /** Node method → how many times it was called (failed and refused calls included). */
    private final Map<String, Integer> calls = new HashMap<>();
    private final Map<Address, Long> confirmedNonces = new HashMap<>();
    private final Map<Address, TreeMap<Long, PooledTx>> mempool = new HashMap<>();
    private final Map<TxHash, MintReceipt> receipts = new HashMap<>();
    private final Map<Address, CollectionState> collections = new LinkedHashMap<>();
    private final Map<TxHash, DeploymentCheck> deployTransactions = new HashMap<>();
    private final List<MintRecord> mintLog = new ArrayList<>();
    /** Per wallet: block number → the wallet's transaction count after that block, for reads pinned to a block. */
    private final Map<Address, TreeMap<Long, Long>> nonceHistory = new HashMap<>();
    private final List<BroadcastRecord> broadcastLog = new ArrayList<>();
    /** Every mined mint in mining order, so a reorganisation can undo the last blocks' ones. */
    private final List<MinedTx> minedLog = new ArrayList<>();
    /** Block hashes by number: a block replaced by a reorganisation gets a new one. */
    private final Map<Long, BlockHash> blockHashes = new HashMap<>();
    private long forks;

    private long blockNumber;
    private long addressCounter;
    private Wei baseFee = Wei.gwei(1);
    private Wei priorityFee;
    private boolean automine = true;
    private boolean batchKeyProtection = true;
    private int failingCalls;
    private int refusingCalls;
    private boolean loseNextBroadcastResponse;
    private boolean rejectNonceGaps;
    private boolean rejectUnderBaseFee;
    /** The head of a lagging failover node answering receipt lookups and contract reads; -1 when there is none. */
    private long laggingNodeHead = -1;
    private boolean receiptsOnBroadcast;
    /** How many of the newest blocks {@link #blockNumber} leaves out: preconfirmed, not sealed. */
    private int unsealedBlocks;

    /** A Base mainnet chain (id 8453) whose minter holds 10 ether; base fee 1 gwei, priority fee 0.1 gwei. */
    public FakeChain() {
        this(ChainId.BASE);
    }

    /** @param chainId what {@link #chainId()} answers and what signed transactions carry */
    public FakeChain(ChainId chainId) {
        this.chainId = Require.notNull("chainId", chainId);
        this.minter = derivedAddress("base-nft fake minter");
        this.factory = derivedAddress("base-nft fake factory");
        this.priorityFee = new Wei(BigInteger.TEN.pow(8));
        balances.put(minter, new Wei(BigInteger.TEN.pow(19)));
    }

    // ------------------------------------------------------------------------------------------------ Chain

    @Override
    public synchronized ChainId chainId() {
        nodeCall("eth_chainId");
        return chainId;
    }

    @Override
    public Address minter() {
        return minter;
    }

    @Override
    public synchronized long pendingNonce(Address wallet) {
        Require.notNull("wallet", wallet);
        nodeCall("eth_getTransactionCount(pending)");
        return pendingNonceOf(wallet);
    }

    @Override
    public synchronized long latestNonce(Address wallet) {
        Require.notNull("wallet", wallet);
        nodeCall("eth_getTransactionCount(latest)");
        return confirmedNonce(wallet);
    }

    @Override
    public synchronized Wei balance(Address wallet) {
        Require.notNull("wallet", wallet);
        nodeCall("eth_getBalance");
        return balanceOf(wallet);
    }

    @Override
    public synchronized Fees currentFees() {
        nodeCall("eth_feeHistory");
        return Fees.forBaseFee(baseFee, priorityFee);
    }

    @Override
    public synchronized MintQuote quoteMint(MintCall call) {
        Require.notNull("call", call);
        nodeCall("eth_estimateGas");
        long needed = gasNeeded(call.recipients().size());
        ChainFailure failure = simulate(minter, call.collection(), call.batchKey(), call.recipients());
        if (failure != ChainFailure.NONE) {
            throw new ChainRejectedException(failure, "execution reverted on estimate");
        }
        long gasLimit = Math.min(PER_TX_GAS_CAP, needed + needed * GAS_MARGIN_PERCENT / 100);
        return new MintQuote(gasLimit, Fees.forBaseFee(baseFee, priorityFee));
    }

    @Override
    public SignedTransaction signMint(MintCall call, long nonce, MintQuote quote) {
        Require.notNull("call", call);
        Require.notNull("quote", quote);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
        TxBody body = new TxBody(chainId.value(), minter, nonce, quote.gasLimit(), quote.fees(), call.collection(),
                call.batchKey(), call.recipients());
        byte[] raw = encode(body);
        return new SignedTransaction(new TxHash(Hex.encode(Keccak256.hash(raw))), Hex.encode(raw), minter, nonce,
                quote.gasLimit(), quote.fees());
    }

    @Override
    public synchronized BroadcastResult broadcast(SignedTransaction transaction) {
        Require.notNull("transaction", transaction);
        nodeCall("eth_sendRawTransaction");
        byte[] raw = Hex.decode(transaction.raw());
        TxHash hash = new TxHash(Hex.encode(Keccak256.hash(raw)));
        BroadcastResult result = admit(raw, hash);
        broadcastLog.add(new BroadcastRecord(transaction.raw(), hash, result));
        if (result instanceof BroadcastResult.Accepted && automine) {
            mineBlock();
            MintReceipt mined = receipts.get(hash);
            if (receiptsOnBroadcast && mined != null && !loseNextBroadcastResponse) {
                result = new BroadcastResult.Accepted(hash, Optional.of(mined));
            }
        }
        if (loseNextBroadcastResponse) {
            loseNextBroadcastResponse = false;
            throw new ChainUnavailableException("simulated: the node accepted " + hash
                    + " but the response was lost (read timed out)");
        }
        return result;
    }

    private BroadcastResult admit(byte[] raw, TxHash hash) {
        TxBody body;
        try {
            body = decode(raw);
        } catch (IOException | RuntimeException e) {
            return new BroadcastResult.Rejected(ChainFailure.REVERTED, "rlp: could not decode transaction");
        }
        if (body.chainId() != chainId.value()) {
            return new BroadcastResult.Rejected(ChainFailure.REVERTED, "invalid chain id " + body.chainId());
        }
        long confirmed = confirmedNonce(body.from());
        if (body.nonce() < confirmed) {
            return new BroadcastResult.Rejected(ChainFailure.NONCE_TOO_LOW, "nonce too low: next nonce " + confirmed
                    + ", tx nonce " + body.nonce());
        }
        if (rejectNonceGaps && body.nonce() > pendingNonceOf(body.from())) {
            return new BroadcastResult.Rejected(ChainFailure.NONCE_TOO_HIGH, "nonce too high: next nonce "
                    + pendingNonceOf(body.from()) + ", tx nonce " + body.nonce());
        }
        if (rejectUnderBaseFee && baseFee.isGreaterThan(body.fees().maxFeePerGas())) {
            return new BroadcastResult.Rejected(ChainFailure.UNDERPRICED, "max fee per gas less than block base fee:"
                    + " address " + body.from() + ", maxFeePerGas: " + body.fees().maxFeePerGas() + ", baseFee: " + baseFee);
        }
        TreeMap<Long, PooledTx> pool = mempool.computeIfAbsent(body.from(), w -> new TreeMap<>());
        PooledTx existing = pool.get(body.nonce());
        if (existing != null) {
            if (existing.hash().equals(hash)) {
                return new BroadcastResult.Accepted(hash);
            }
            if (!bumpedEnough(existing.body().fees(), body.fees())) {
                return new BroadcastResult.Rejected(ChainFailure.UNDERPRICED, "replacement transaction underpriced");
            }
        }
        Wei cost = body.fees().maxCost(body.gasLimit());
        if (cost.isGreaterThan(balanceOf(body.from()))) {
            return new BroadcastResult.Rejected(ChainFailure.INSUFFICIENT_FUNDS, "insufficient funds for gas * price + value:"
                    + " have " + balanceOf(body.from()) + " want " + cost);
        }
        pool.put(body.nonce(), new PooledTx(hash, body));
        return new BroadcastResult.Accepted(hash);
    }

    private static boolean bumpedEnough(Fees old, Fees replacement) {
        BigInteger factor = BigInteger.valueOf(100 + MIN_REPLACEMENT_BUMP_PERCENT);
        BigInteger hundred = BigInteger.valueOf(100);
        return replacement.maxFeePerGas().value().multiply(hundred)
                .compareTo(old.maxFeePerGas().value().multiply(factor)) >= 0
                && replacement.maxPriorityFeePerGas().value().multiply(hundred)
                        .compareTo(old.maxPriorityFeePerGas().value().multiply(factor)) >= 0;
    }

    @Override
    public synchronized TransactionStatus status(TxHash hash) {
        Require.notNull("hash", hash);
        nodeCall("eth_getTransactionReceipt");
        MintReceipt receipt = receipts.get(hash);
        if (receipt != null && !(laggingNodeHead >= 0 && receipt.blockNumber() > laggingNodeHead)) {
            return new TransactionStatus.Mined(receipt);
        }
        return isPending(hash) ? new TransactionStatus.Pending() : new TransactionStatus.Unknown();
    }

    @Override
    public synchronized boolean batchKeyUsed(Address collection, BatchKey key) {
        Require.notNull("collection", collection);
        Require.notNull("key", key);
        nodeCall("eth_call(usedBatchKeys)");
        CollectionState c = collections.get(collection);
        MintReceipt used = c == null ? null : c.usedKeys.get(key);
        return batchKeyProtection && used != null && (laggingNodeHead < 0 || used.blockNumber() <= laggingNodeHead);
    }

    @Override
    public synchronized long blockNumber() {
        nodeCall("eth_blockNumber");
        return Math.max(0, blockNumber - unsealedBlocks);
    }

    /** The newest sealed block (as {@link #blockNumber}), waking on each mined block; no node call. */
    @Override
    public synchronized long head() {
        return Math.max(0, blockNumber - unsealedBlocks);
    }

    @Override
    public synchronized long awaitAbove(long seen, Duration atMost) {
        Require.positive("atMost", atMost);
        long until = System.nanoTime() + atMost.toNanos();
        while (head() <= seen) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainUnavailableException("interrupted while waiting for a block", e);
            }
        }
        return head();
    }

    @Override
    public synchronized long nonceAt(Address wallet, long block) {
        Require.notNull("wallet", wallet);
        nodeCall("eth_getTransactionCount(block)");
        requireReached(block, blockNumber);
        Map.Entry<Long, Long> after = nonceHistory.getOrDefault(wallet, new TreeMap<>()).floorEntry(block);
        return after == null ? 0 : after.getValue();
    }

    @Override
    public synchronized boolean batchKeyUsedAt(Address collection, BatchKey key, long block) {
        Require.notNull("collection", collection);
        Require.notNull("key", key);
        nodeCall("eth_call(usedBatchKeys, block)");
        requireReached(block, laggingNodeHead >= 0 ? laggingNodeHead : blockNumber);
        CollectionState c = collections.get(collection);
        MintReceipt used = c == null ? null : c.usedKeys.get(key);
        return batchKeyProtection && used != null && used.blockNumber() <= block;
    }

    /** As a node that has not mined {@code block} yet answers a read pinned to it: with an error, never an older state. */
    private static void requireReached(long block, long head) {
        if (block < 0) {
            throw new IllegalArgumentException("block must not be negative, got " + block);
        }
        if (block > head) {
            throw new ChainUnavailableException("simulated node behind: block height is " + head + " but requested was "
                    + block);
        }
    }

    @Override
    public synchronized Optional<MintReceipt> findMint(Address collection, BatchKey key, long fromBlock) {
        Require.notNull("collection", collection);
        Require.notNull("key", key);
        if (fromBlock < 0) {
            throw new IllegalArgumentException("fromBlock must not be negative, got " + fromBlock);
        }
        nodeCall("eth_getLogs(BatchMinted)");
        CollectionState c = collections.get(collection);
        if (!batchKeyProtection || c == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(c.usedKeys.get(key))
                .filter(mint -> laggingNodeHead < 0 || mint.blockNumber() <= laggingNodeHead);
    }

    @Override
    public SignedTransaction signFiller(long nonce, Fees fees) {
        Require.notNull("fees", fees);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
        byte[] raw = encode(TxBody.filler(chainId.value(), minter, nonce, FillerTransaction.GAS_LIMIT, fees));
        return new SignedTransaction(new TxHash(Hex.encode(Keccak256.hash(raw))), Hex.encode(raw), minter, nonce,
                FillerTransaction.GAS_LIMIT, fees);
    }

    // ------------------------------------------------------------------------------------------------ CollectionFactory

    /** The selector, the campaign key, then a hash standing for the ABI-encoded strings. */
    @Override
    public UnsignedCall deployCall(Campaign campaign) {
        Require.notNull("campaign", campaign);
        byte[] selector = Arrays.copyOf(Keccak256.hash("createCollection(bytes32,string,string,string)"
                .getBytes(StandardCharsets.US_ASCII)), 4);
        byte[] arguments = Keccak256.hash((campaign.name() + "\u0000" + campaign.symbol() + "\u0000" + campaign.baseUri())
                .getBytes(StandardCharsets.UTF_8));
        return new UnsignedCall(chainId, factory, Hex.encode(selector) + CampaignKey.of(campaign.id()).value().substring(2)
                + Hex.encode(arguments).substring(2), Wei.ZERO);
    }

    /** Like the factory's CREATE2: one address per (creator, campaign key), whether deployed yet or not. */
    @Override
    public synchronized Address predictCollection(Address creatorWallet, CampaignId campaign) {
        Require.notNull("creatorWallet", creatorWallet);
        Require.notNull("campaign", campaign);
        nodeCall("eth_call(predictCollection)");
        return collectionAddress(creatorWallet, CampaignKey.of(campaign));
    }

    private static Address collectionAddress(Address creator, CampaignKey key) {
        return derivedAddress("base-nft fake collection " + creator.lowerCase() + " " + key);
    }

    @Override
    public synchronized DeploymentCheck verifyDeployment(TxHash deployTransaction) {
        Require.notNull("deployTransaction", deployTransaction);
        nodeCall("eth_getTransactionReceipt(deploy)");
        return deployTransactions.getOrDefault(deployTransaction, new DeploymentCheck.NotMined());
    }

    @Override
    public synchronized boolean minterHasRole(Address collection) {
        Require.notNull("collection", collection);
        nodeCall("eth_call(hasRole)");
        CollectionState c = collections.get(collection);
        return c != null && c.minters.contains(minter);
    }

    // ------------------------------------------------------------------------------------------------ test controls

    /** The factory's address. */
    public Address factoryAddress() {
        return factory;
    }

    /**
     * Mines a deploy of {@code campaign}'s collection sent by {@code creator} through the factory: a new, unpaused collection
     * at {@link #predictCollection}{@code (creator, campaign)} whose MINTER_ROLE the factory grants to the minter.
     *
     * @return the deploy transaction's hash and the new collection
     * @throws IllegalStateException when {@code creator} already deployed one for {@code campaign} (the factory reverts)
     */
    public synchronized Deployment deployCollection(Address creator, CampaignId campaign) {
        return deploy(creator, CampaignKey.of(Require.notNull("campaign", campaign)), true);
    }

    /**
     * A collection for a campaign key no campaign has (its high half is not zero), for tests that only mint: no campaign
     * accepts it.
     */
    public synchronized Deployment deployCollection(Address creator) {
        return deploy(creator, unboundKey(), true);
    }

    /** As {@link #deployCollection(Address, CampaignId)}, through a factory of another deployment: the minter gets no role. */
    public synchronized Deployment deployCollectionWithoutMinterRole(Address creator, CampaignId campaign) {
        return deploy(creator, CampaignKey.of(Require.notNull("campaign", campaign)), false);
    }

    private CampaignKey unboundKey() {
        return new CampaignKey(Hex.encode(Keccak256.hash(("unbound " + (++addressCounter))
                .getBytes(StandardCharsets.US_ASCII))));
    }

    private Deployment deploy(Address creator, CampaignKey key, boolean grantMinter) {
        Require.notNull("creator", creator);
        Address address = collectionAddress(creator, key);
        if (collections.containsKey(address)) {
            throw new IllegalStateException(creator + " already deployed the collection of campaign key " + key);
        }
        CollectionState collection = new CollectionState(address);
        if (grantMinter) {
            collection.minters.add(minter);
        }
        collections.put(address, collection);
        blockNumber++;
        TxHash tx = derivedHash("deploy " + address);
        deployTransactions.put(tx, new DeploymentCheck.Deployed(address, creator, key, blockNumber));
        return new Deployment(tx, address);
    }

    /** A mined transaction that is not a call to our factory; {@link #verifyDeployment} rejects it. */
    public synchronized TxHash recordForeignTransaction() {
        TxHash tx = derivedHash("foreign " + (++addressCounter));
        deployTransactions.put(tx, new DeploymentCheck.Rejected("transaction " + tx + " is not a call to our factory "
                + factory));
        return tx;
    }

    /** A mined deploy transaction that reverted; {@link #verifyDeployment} rejects it. */
    public synchronized TxHash recordRevertedDeployment() {
        TxHash tx = derivedHash("reverted deploy " + (++addressCounter));
        deployTransactions.put(tx, new DeploymentCheck.Rejected("deploy transaction " + tx + " reverted"));
        return tx;
    }

    public synchronized void pause(Address collection) {
        collection(collection).paused = true;
    }

    public synchronized void unpause(Address collection) {
        collection(collection).paused = false;
    }

    public synchronized void revokeMinterRole(Address collection) {
        collection(collection).minters.remove(minter);
    }

    public synchronized void grantMinterRole(Address collection) {
        collection(collection).minters.add(minter);
    }

    /**
     * How many times the node method was called so far, as named in this class (for example {@code "eth_getBalance"}):
     * for tests that bound the round trips a path makes.
     */
    public synchronized int callsTo(String method) {
        return calls.getOrDefault(Require.notNull("method", method), 0);
    }

    /** Sets a wallet's balance (anvil's {@code anvil_setBalance}). */
    public synchronized void setBalance(Address wallet, Wei balance) {
        balances.put(Require.notNull("wallet", wallet), Require.notNull("balance", balance));
    }

    /** Sets the base fee of the next blocks; pooled transactions whose {@code maxFeePerGas} is below it are not mined. */
    public synchronized void setBaseFee(Wei fee) {
        baseFee = Require.notNull("fee", fee);
    }

    /** Sets the market priority fee quotes use. */
    public synchronized void setPriorityFee(Wei fee) {
        priorityFee = Require.notNull("fee", fee);
    }

    /** Mines a block on each accepted broadcast when on (the default); with it off, only {@link #mine()} mines. */
    public synchronized void automine(boolean on) {
        automine = on;
    }

    /** With it on, an accepted broadcast mined at once is answered with its receipt, as {@code eth_sendRawTransactionSync}. */
    public synchronized void receiptsOnBroadcast(boolean on) {
        receiptsOnBroadcast = on;
    }

    /**
     * Models a Flashblocks endpoint: {@link #blockNumber} (the node's {@code latest}) answers {@code count} blocks below the
     * newest block, while receipts ({@link #status}) already show the transactions mined in those blocks.
     *
     * @param count 0 (the default, every block sealed) or more
     */
    public synchronized void unsealedBlocks(int count) {
        Require.between("count", count, 0, 1000);
        unsealedBlocks = count;
        notifyAll();
    }

    /**
     * Simulates failover onto a lagging node for part of the reads: from now on receipt lookups ({@link #status}), logs
     * ({@link #findMint}) and the contract's batch-key reads ({@link #batchKeyUsed}, {@link #batchKeyUsedAt}) are answered by a node whose head is
     * {@code head}, which knows nothing mined after it and cannot answer for a later block; nonces and
     * {@link #blockNumber} still come from the up-to-date node. {@link #noLaggingNode()} ends it.
     */
    public synchronized void laggingNode(long head) {
        if (head < 0) {
            throw new IllegalArgumentException("head must not be negative, got " + head);
        }
        laggingNodeHead = head;
    }

    /** Every read answered by the up-to-date node again. */
    public synchronized void noLaggingNode() {
        laggingNodeHead = -1;
    }

    /** Mines one block now, whatever automine says. @return its number */
    public synchronized long mine() {
        mineBlock();
        return blockNumber;
    }

    /** Turns the collection's {@code BatchAlreadyUsed} check on (default) or off (a contract without layer 5). */
    public synchronized void batchKeyProtection(boolean on) {
        batchKeyProtection = on;
    }

    /** The next {@code count} node calls (every method but {@link #minter()} and {@link #signMint}) time out. */
    public synchronized void failNextCalls(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        failingCalls = count;
    }

    /**
     * The next {@code count} node calls are answered with a JSON-RPC error ({@link ChainRejectedException}), as a node in
     * trouble may answer a read: an answer that says nothing about the transactions asked after.
     */
    public synchronized void refuseNextCalls(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        refusingCalls = count;
    }

    /** The next broadcast reaches the node and is accepted (and mined under automine), but its caller gets a timeout. */
    public synchronized void loseNextBroadcastResponse() {
        loseNextBroadcastResponse = true;
    }

    /**
     * Makes broadcasts whose {@code maxFeePerGas} is below the base fee fail with {@link ChainFailure#UNDERPRICED}, as anvil
     * and many providers do, instead of pooling them until the base fee falls.
     */
    public synchronized void rejectUnderBaseFee(boolean reject) {
        rejectUnderBaseFee = reject;
    }

    /**
     * Makes broadcasts whose nonce is above the wallet's pending nonce fail with {@link ChainFailure#NONCE_TOO_HIGH}, as some
     * providers do, instead of queueing them until the gap fills, as geth and anvil do.
     */
    public synchronized void rejectNonceGaps(boolean reject) {
        rejectNonceGaps = reject;
    }

    /** Drops a pending transaction from the mempool, as an evicting node does. @return whether it was there */
    public synchronized boolean drop(TxHash hash) {
        Require.notNull("hash", hash);
        for (TreeMap<Long, PooledTx> pool : mempool.values()) {
            if (pool.values().removeIf(tx -> tx.hash().equals(hash))) {
                return true;
            }
        }
        return false;
    }

    /** Mines {@code count} empty blocks (beyond what the mempool holds, which they include as {@link #mine()} does). */
    public synchronized void mineBlocks(int count) {
        Require.between("count", count, 0, 1_000_000);
        for (int i = 0; i < count; i++) {
            mineBlock();
        }
    }

    /**
     * A chain reorganisation: the last {@code depth} blocks are replaced by as many empty blocks with new hashes, so the head
     * stays where it was. The mints mined in them are undone (receipts, tokens, batch keys, nonces and fees paid) and their
     * transactions go back to the mempool ({@code backToMempool}, as a node re-adding a dropped block's transactions) or are
     * forgotten (unknown to the node, as after {@code anvil_reorg}). Collections deployed, pauses, roles and balances set by
     * the test stay. A transaction back in the mempool is mined again by the next block, in nonce order.
     *
     * @param depth 1 to the head's number
     */
    public synchronized void reorg(int depth, boolean backToMempool) {
        Require.between("depth", depth, 1, (int) Math.min(Integer.MAX_VALUE, blockNumber));
        long firstReplaced = blockNumber - depth + 1;
        for (int i = minedLog.size() - 1; i >= 0 && minedLog.get(i).block() >= firstReplaced; i--) {
            MinedTx mined = minedLog.remove(i);
            TxBody body = mined.tx().body();
            MintReceipt receipt = receipts.remove(mined.tx().hash());
            if (receipt.succeeded()) {
                CollectionState c = collections.get(body.collection());
                c.nextTokenId = mined.firstTokenId();
                c.usedKeys.remove(body.batchKey(), receipt);
                mintLog.removeIf(m -> m.transaction().equals(mined.tx().hash()));
            }
            balances.put(body.from(), balanceOf(body.from()).plus(mined.paid()));
            confirmedNonces.put(body.from(), body.nonce());
            if (backToMempool) {
                mempool.computeIfAbsent(body.from(), w -> new TreeMap<>()).put(body.nonce(), mined.tx());
            }
        }
        forks++;
        for (long n = firstReplaced; n <= blockNumber; n++) {
            blockHashes.remove(n);
        }
        for (TreeMap<Long, Long> history : nonceHistory.values()) {
            history.tailMap(firstReplaced).clear();
        }
    }

    /**
     * Another holder of the collection's MINTER_ROLE mints one token to {@code to} in a block of its own, taking the next
     * token id. Not undone by a later {@link #reorg}; for tests that need token ids to shift after one.
     *
     * @return the token id it minted
     */
    public synchronized TokenId mintByAnotherMinter(Address collection, Address to) {
        Require.notNull("to", to);
        CollectionState c = collection(collection);
        mineBlock();
        TokenId id = TokenId.of(c.nextTokenId++);
        mintLog.add(new MintRecord(collection, id, to, derivedHash("another minter's mint " + id + " in block " + blockNumber),
                BatchKey.derive(new CampaignId(new java.util.UUID(0, blockNumber)), 0), blockNumber));
        return id;
    }

    // ------------------------------------------------------------------------------------------------ inspection

    /** Every token minted, in mint order. */
    public synchronized List<MintRecord> mints() {
        return List.copyOf(mintLog);
    }

    /** The tokens {@code owner} received from {@code collection}, in mint order. */
    public synchronized List<TokenId> tokensOf(Address collection, Address owner) {
        return mintLog.stream()
                .filter(m -> m.collection().equals(collection) && m.to().equals(owner))
                .map(MintRecord::tokenId)
                .toList();
    }

    /** Every broadcast that reached the node (not those that timed out before it), in order. */
    public synchronized List<BroadcastRecord> broadcasts() {
        return List.copyOf(broadcastLog);
    }

    /** The wallet's nonce in the latest block: how many of its transactions were mined. */
    public synchronized long confirmedNonce(Address wallet) {
        return confirmedNonces.getOrDefault(wallet, 0L);
    }

    /** The wallet's nonce counting the consecutive pooled transactions. */
    public synchronized long pendingNonceOf(Address wallet) {
        long nonce = confirmedNonce(wallet);
        TreeMap<Long, PooledTx> pool = mempool.getOrDefault(wallet, new TreeMap<>());
        while (pool.containsKey(nonce)) {
            nonce++;
        }
        return nonce;
    }

    public synchronized Wei balanceOf(Address wallet) {
        return balances.getOrDefault(wallet, Wei.ZERO);
    }

    /** Whether the mempool holds this exact transaction. */
    public synchronized boolean isPending(TxHash hash) {
        return mempool.values().stream().flatMap(p -> p.values().stream()).anyMatch(tx -> tx.hash().equals(hash));
    }

    /** How many transactions wait in the mempool. */
    public synchronized int mempoolSize() {
        return mempool.values().stream().mapToInt(TreeMap::size).sum();
    }

    /** The receipt of a mined transaction. */
    public synchronized Optional<MintReceipt> receipt(TxHash hash) {
        return Optional.ofNullable(receipts.get(hash));
    }

    /** How many injected timeouts are still to come. */
    public synchronized int remainingFailures() {
        return failingCalls;
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void nodeCall(String method) {
        calls.merge(method, 1, Integer::sum);
        if (failingCalls > 0) {
            failingCalls--;
            throw new ChainUnavailableException("simulated RPC timeout: " + method + " did not answer");
        }
        if (refusingCalls > 0) {
            refusingCalls--;
            throw new ChainRejectedException(ChainFailure.REVERTED, "simulated JSON-RPC error: " + method
                    + " answered -32603 internal error");
        }
    }

    private CollectionState collection(Address address) {
        Require.notNull("collection", address);
        CollectionState c = collections.get(address);
        if (c == null) {
            throw new IllegalArgumentException("no collection deployed at " + address);
        }
        return c;
    }

    private static long gasNeeded(int recipients) {
        return MINT_BASE_GAS + GAS_PER_RECIPIENT * recipients;
    }

    /** What {@code mintBatch} would do now, in the contract's order of checks. */
    private ChainFailure simulate(Address from, Address collection, BatchKey key, List<Address> recipients) {
        CollectionState c = collections.get(collection);
        if (c == null) {
            return ChainFailure.REVERTED;
        }
        if (!c.minters.contains(from)) {
            return ChainFailure.MISSING_ROLE;
        }
        if (c.paused) {
            return ChainFailure.PAUSED;
        }
        if (batchKeyProtection && c.usedKeys.containsKey(key)) {
            return ChainFailure.BATCH_KEY_USED;
        }
        if (recipients.stream().anyMatch(Address::isZero)) {
            return ChainFailure.INVALID_RECIPIENT;
        }
        return ChainFailure.NONE;
    }

    private void mineBlock() {
        blockNumber++;
        notifyAll();
        for (Map.Entry<Address, TreeMap<Long, PooledTx>> entry : mempool.entrySet()) {
            Address wallet = entry.getKey();
            TreeMap<Long, PooledTx> pool = entry.getValue();
            while (true) {
                PooledTx tx = pool.get(confirmedNonce(wallet));
                if (tx == null || baseFee.isGreaterThan(tx.body().fees().maxFeePerGas())
                        || tx.body().fees().maxCost(tx.body().gasLimit()).isGreaterThan(balanceOf(wallet))) {
                    break;
                }
                pool.remove(tx.body().nonce());
                execute(tx);
                confirmedNonces.put(wallet, tx.body().nonce() + 1);
                nonceHistory.computeIfAbsent(wallet, w -> new TreeMap<>()).put(blockNumber, tx.body().nonce() + 1);
            }
        }
    }

    private void execute(PooledTx tx) {
        TxBody body = tx.body();
        if (body.filler()) {
            Wei fillerPrice = baseFee.plus(body.fees().maxPriorityFeePerGas());
            if (fillerPrice.isGreaterThan(body.fees().maxFeePerGas())) {
                fillerPrice = body.fees().maxFeePerGas();
            }
            balances.put(body.from(), new Wei(balanceOf(body.from()).value()
                    .subtract(fillerPrice.times(body.gasLimit()).value())));
            receipts.put(tx.hash(), new MintReceipt(tx.hash(), true, blockNumber, body.gasLimit(), List.of(),
                    ChainFailure.NONE));
            return;
        }
        ChainFailure failure = simulate(body.from(), body.collection(), body.batchKey(), body.recipients());
        long needed = gasNeeded(body.recipients().size());
        if (failure == ChainFailure.NONE && body.gasLimit() < needed) {
            failure = ChainFailure.OUT_OF_GAS;
        }
        long gasUsed = failure == ChainFailure.OUT_OF_GAS ? body.gasLimit()
                : failure != ChainFailure.NONE ? Math.min(REVERT_GAS, body.gasLimit()) : needed;
        Wei price = baseFee.plus(body.fees().maxPriorityFeePerGas());
        if (price.isGreaterThan(body.fees().maxFeePerGas())) {
            price = body.fees().maxFeePerGas();
        }
        Wei paid = price.times(gasUsed);
        balances.put(body.from(), new Wei(balanceOf(body.from()).value().subtract(paid.value())));
        MintReceipt receipt;
        long firstTokenId = 0;
        if (failure != ChainFailure.NONE) {
            receipt = new MintReceipt(tx.hash(), false, blockNumber, gasUsed, List.of(), failure,
                    Optional.of(blockHash(blockNumber)), Optional.of(new ReceiptFees(price, Optional.empty())));
        } else {
            CollectionState c = collections.get(body.collection());
            firstTokenId = c.nextTokenId;
            List<MintedToken> tokens = new ArrayList<>();
            for (Address to : body.recipients()) {
                TokenId id = TokenId.of(c.nextTokenId++);
                tokens.add(new MintedToken(to, id));
                mintLog.add(new MintRecord(body.collection(), id, to, tx.hash(), body.batchKey(), blockNumber));
            }
            receipt = new MintReceipt(tx.hash(), true, blockNumber, gasUsed, tokens, ChainFailure.NONE,
                    Optional.of(blockHash(blockNumber)), Optional.of(new ReceiptFees(price, Optional.empty())));
            if (batchKeyProtection) {
                c.usedKeys.put(body.batchKey(), receipt);
            }
        }
        receipts.put(tx.hash(), receipt);
        minedLog.add(new MinedTx(tx, blockNumber, paid, firstTokenId));
    }

    private BlockHash blockHash(long number) {
        return blockHashes.computeIfAbsent(number, n -> new BlockHash(derivedHash("fake block " + n + " of fork " + forks)
                .value()));
    }

    private static Address derivedAddress(String seed) {
        return Address.ofBytes(Arrays.copyOfRange(Keccak256.hash(seed.getBytes(StandardCharsets.UTF_8)), 12, 32));
    }

    private static TxHash derivedHash(String seed) {
        return new TxHash(Hex.encode(Keccak256.hash(seed.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] encode(TxBody body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(body.filler() ? RAW_FILLER_TYPE : RAW_TYPE);
            out.writeLong(body.chainId());
            out.write(body.from().bytes());
            out.writeLong(body.nonce());
            out.writeLong(body.gasLimit());
            writeBig(out, body.fees().maxFeePerGas().value());
            writeBig(out, body.fees().maxPriorityFeePerGas().value());
            if (body.filler()) {
                return bytes.toByteArray();
            }
            out.write(body.collection().bytes());
            out.write(body.batchKey().bytes());
            out.writeInt(body.recipients().size());
            for (Address to : body.recipients()) {
                out.write(to.bytes());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private static void writeBig(DataOutputStream out, BigInteger value) throws IOException {
        byte[] b = value.toByteArray();
        out.writeShort(b.length);
        out.write(b);
    }

    private static TxBody decode(byte[] raw) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
        byte type = in.readByte();
        if (type != RAW_TYPE && type != RAW_FILLER_TYPE) {
            throw new IOException("unknown transaction type");
        }
        long chain = in.readLong();
        Address from = Address.ofBytes(in.readNBytes(20));
        long nonce = in.readLong();
        long gasLimit = in.readLong();
        Fees fees = new Fees(new Wei(readBig(in)), new Wei(readBig(in)));
        if (type == RAW_FILLER_TYPE) {
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            return TxBody.filler(chain, from, nonce, gasLimit, fees);
        }
        Address collection = Address.ofBytes(in.readNBytes(20));
        BatchKey key = new BatchKey(Hex.encode(in.readNBytes(32)));
        int count = in.readInt();
        if (count < 1 || count > 10_000) {
            throw new IOException("bad recipient count " + count);
        }
        List<Address> recipients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            recipients.add(Address.ofBytes(in.readNBytes(20)));
        }
        if (in.read() != -1) {
            throw new IOException("trailing bytes");
        }
        return new TxBody(chain, from, nonce, gasLimit, fees, collection, key, recipients);
    }

    private static BigInteger readBig(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        return new BigInteger(in.readNBytes(length));
    }

    /** A mint, or a filler: a self-transfer whose {@code collection} is its sender, with no batch key or recipients. */
    private record TxBody(long chainId, Address from, long nonce, long gasLimit, Fees fees, Address collection,
            BatchKey batchKey, List<Address> recipients) {

        static TxBody filler(long chainId, Address from, long nonce, long gasLimit, Fees fees) {
            return new TxBody(chainId, from, nonce, gasLimit, fees, from, null, List.of());
        }

        boolean filler() {
            return batchKey == null;
        }
    }

    private record PooledTx(TxHash hash, TxBody body) {
    }

    /** A mined transaction and what undoing it gives back: the fee paid and, for a mint, its first token id. */
    private record MinedTx(PooledTx tx, long block, Wei paid, long firstTokenId) {
    }

    /** Mutable contract state; guarded by the chain's monitor. */
    private static final class CollectionState {
        final Address address;
        final Set<Address> minters = new HashSet<>();
        final Map<BatchKey, MintReceipt> usedKeys = new HashMap<>();
        long nextTokenId = 1;
        boolean paused;

        CollectionState(Address address) {
            this.address = address;
        }

        @Override
        public String toString() {
            return "CollectionState[" + address + "]";
        }
    }

    /**
     * A creator's deploy through the factory.
     *
     * @param transaction the deploy transaction's hash; never null
     * @param collection the new collection; never null
     */
    public record Deployment(TxHash transaction, Address collection) {
        public Deployment {
            Require.notNull("transaction", transaction);
            Require.notNull("collection", collection);
        }
    }

    /**
     * One minted token.
     *
     * @param collection never null
     * @param tokenId never null
     * @param to never null
     * @param transaction the mint's transaction; never null
     * @param batchKey the key the mint carried; never null
     * @param blockNumber the block it was mined in
     */
    public record MintRecord(Address collection, TokenId tokenId, Address to, TxHash transaction, BatchKey batchKey,
            long blockNumber) {
        public MintRecord {
            Require.notNull("collection", collection);
            Require.notNull("tokenId", tokenId);
            Require.notNull("to", to);
            Require.notNull("transaction", transaction);
            Require.notNull("batchKey", batchKey);
        }
    }

    /**
     * A broadcast the node received.
     *
     * @param raw the raw transaction as sent; never null
     * @param hash the hash the node computed from it; never null
     * @param result what the node answered (a lost response still shows the answer the node gave); never null
     */
    public record BroadcastRecord(String raw, TxHash hash, BroadcastResult result) {
        public BroadcastRecord {
            Require.notNull("raw", raw);
            Require.notNull("hash", hash);
            Require.notNull("result", result);
        }
    }
}
