package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import java.util.Optional;

/**
 * The chain, as the minter wallet sees it. Signing, broadcasting and reading receipts are separate steps so the worker
 * can store a signed transaction between signing and sending (layer 4 of docs/architecture.md#exactly-once).
 *
 * <p>Every method that talks to a node throws {@link dev.basenft.core.model.ChainUnavailableException} when no node
 * answered (after the adapter's own retries and failover), and {@link dev.basenft.core.model.ChainRejectedException} for a
 * deterministic refusal. Safe for concurrent use.
 */
public interface Chain {

    /** The node's {@code eth_chainId}. */
    ChainId chainId();

    /** The minter wallet's address; local, no I/O. */
    Address minter();

    /** The wallet's transaction count including pending ones: where a resynced nonce counter starts. */
    long pendingNonce(Address wallet);

    /** The wallet's transaction count in the latest block: nonces below it are used for good. */
    long latestNonce(Address wallet);

    Wei balance(Address wallet);

    /** Market fees now: {@code maxFeePerGas = 2 × baseFee + priority}. */
    Fees currentFees();

    /**
     * Estimates the mint (plus margin, capped per transaction) and prices it at market fees.
     *
     * @throws dev.basenft.core.model.ChainRejectedException when the estimate reverts (batch key used, paused, missing role…)
     */
    MintQuote quoteMint(MintCall call);

    /** Signs the mint locally with the minter key at {@code nonce}; sends nothing. */
    SignedTransaction signMint(MintCall call, long nonce, MintQuote quote);

    /** Sends a signed transaction. "Already known" counts as accepted, so rebroadcasting is safe. */
    BroadcastResult broadcast(SignedTransaction transaction);

    /** What the node knows of a transaction: mined with its receipt, pending, or unknown. */
    TransactionStatus status(TxHash hash);

    /** Whether the collection has already seen {@code key} (a batch minted by any transaction). */
    boolean batchKeyUsed(Address collection, BatchKey key);

    /**
     * The tokens minted under {@code key} and the transaction that minted them, read back from the chain, to reconcile a
     * batch whose mint landed while nobody was watching.
     *
     * @param fromBlock the first block the mint can be in: the collection's deployment block, 0 when unknown
     * @return the mint's receipt, or empty when the key was never used (or the node does not show the mint yet)
     */
    Optional<MintReceipt> findMint(Address collection, BatchKey key, long fromBlock);

    /**
     * The newest block the answering node has: the block a decision's reads are pinned to with {@link #nonceAt} and
     * {@link #batchKeyUsedAt}, so that they describe one state of the chain even when they are answered by different nodes;
     * and the head a receipt's depth is counted from (the blocks built on top of its block: {@code blockNumber() -
     * receipt.blockNumber()}).
     */
    long blockNumber();

    /**
     * The wallet's transaction count as of block {@code block}: the nonces below it were used by then.
     *
     * @param block a block number, not negative
     * @throws dev.basenft.core.model.ChainUnavailableException also when the answering node has not reached {@code block}
     *         (a lagging node): its answer would describe an older chain than the rest of the decision
     */
    long nonceAt(Address wallet, long block);

    /**
     * Whether the collection had seen {@code key} as of block {@code block}.
     *
     * @param block a block number, not negative
     * @throws dev.basenft.core.model.ChainUnavailableException also when the answering node has not reached {@code block}
     */
    boolean batchKeyUsedAt(Address collection, BatchKey key, long block);

    /**
     * Signs a zero-value transfer from the minter to itself at {@code nonce} ({@link
     * dev.basenft.core.model.FillerTransaction#GAS_LIMIT} gas), locally; sends nothing. It fills a nonce that no mint will
     * fill, so the minter's later transactions can be mined; a pending transaction on the nonce is replaced only when the
     * fees are high enough, as for any replacement.
     *
     * @param fees what to sign with; never null
     */
    SignedTransaction signFiller(long nonce, Fees fees);
}
