package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The write-ahead ledger of signed transactions and the minter's nonce counter (layer 4 of
 * docs/architecture.md#exactly-once).
 *
 * <p>A transaction is stored here <em>before</em> it is broadcast, so a worker that crashes at any point finds it again and
 * checks, rebroadcasts or replaces it instead of signing a second mint with a new nonce. Safe for concurrent use; at most one
 * live transaction per wallet nonce.
 */
public interface TransactionLedger {

    /**
     * In one transaction: allocates the wallet's next nonce, calls {@code signer} with it (local signing, no I/O), stores the
     * signed transaction for the claimed batch, and moves the batch to SUBMITTED with that nonce. If anything fails or the
     * claim is lost, nothing is stored and the nonce is not used.
     *
     * @throws LostClaimException when the claim is no longer the batch's
     * @throws IllegalStateException when the signer's transaction does not carry the allocated nonce and wallet
     */
    default StoredTransaction writeAhead(Claim claim, Address wallet, LongFunction<SignedTransaction> signer) {
        return writeAheadWithin(claim, wallet, Integer.MAX_VALUE, 0, signer).orElseThrow();
    }

    /**
     * As {@link #writeAhead}, but only while fewer than {@code maxInFlight} other batches have an unmined transaction from
     * {@code wallet}: SUBMITTED batches whose nonce is {@code minedBelow} or above. The count and the nonce are taken under
     * the same lock, so workers racing for the last slot cannot both take it.
     *
     * @param maxInFlight 1 or more
     * @param minedBelow the chain's latest nonce for {@code wallet} (0 when unknown): a batch below it is mined and only
     *     waits for confirmations, so it holds no slot
     * <p>A batch still PROCESSING (nothing signed for it yet) whose campaign is {@linkplain
     * dev.basenft.core.model.CampaignStatus#isHalted() paused or cancelled} is refused, checked under the same lock as the
     * write: a pause or cancel either comes before (refused) or after (the batch is SUBMITTED and finishes), never between.
     * A SUBMITTED batch is never refused: its earlier transaction may land, so it is driven to the end.
     *
     * <p>{@code signer} may be called on another thread than the caller's (an adapter may write several callers' batches
     * in one transaction), and more than once, with the same nonce or another (a transaction tried again): only the
     * transaction returned here is stored. It must not block.
     *
     * @return the stored transaction, or empty when the cap is reached (nothing stored, no nonce used, the signer not called)
     * @throws CampaignHaltedException when the batch is PROCESSING and its campaign PAUSED or CANCELLED (nothing stored)
     * @throws LostClaimException when the claim is no longer the batch's
     * @throws IllegalStateException when the signer's transaction does not carry the allocated nonce and wallet
     */
        Optional<StoredTransaction> writeAheadWithin(Claim claim, Address wallet, int maxInFlight, long minedBelow,
            LongFunction<SignedTransaction> signer);

    /**
     * Stores a same-nonce replacement (higher fees) for a batch that already has a transaction, before it is broadcast.
     *
     * @throws LostClaimException when the claim is no longer the batch's
     * @throws IllegalArgumentException when the nonce or wallet differ from the batch's stored transaction
     */
    StoredTransaction recordReplacement(Claim claim, SignedTransaction replacement);

    /** Every transaction stored for a batch, oldest first; empty when none. */
    List<StoredTransaction> forBatch(BatchId batchId);

    /**
     * {@link #forBatch} of several batches in one read (a listing's page).
     *
     * @param batchIds not null, at most 10,000
     * @return an entry for every batch with transactions, each list oldest first; batches without any are absent
     */
    Map<BatchId, List<StoredTransaction>> forBatches(Collection<BatchId> batchIds);

    /** How many SUBMITTED batches have a transaction from {@code wallet}: the in-flight count the nonce pipeline caps. */
    int inFlight(Address wallet);

    /** The nonce the next {@link #writeAhead} for {@code wallet} would allocate. */
    long nextNonce(Address wallet);

    /**
     * Resynchronises the wallet's counter with the chain: the next nonce becomes the larger of {@code chainPendingNonce} and
     * one past the highest nonce stored for the wallet (transactions and {@linkplain #recordFiller fillers}), so a stored,
     * unsent transaction's nonce is never handed out again. It may lower a counter that drifted above both.
     */
    void resyncNonce(Address wallet, long chainPendingNonce);

    /**
     * Every transaction stored for {@code wallet} on {@code fromNonce} or above, by nonce, then in the order stored: what the
     * nonce-health check compares with the node.
     *
     * @param fromNonce not negative
     * @return possibly empty, never null
     */
    List<StoredTransaction> transactionsFrom(Address wallet, long fromNonce);

    /**
     * Stores a nonce filler before it is broadcast, so it is rebroadcast rather than signed again after a crash and so every
     * nonce the wallet spends is accounted for. Storing the same transaction again returns the first record.
     *
     * @return the stored record ({@link FillerTransaction#recordedAt()} may be rounded to the store's precision)
     * @throws IllegalArgumentException when the filler's nonce is not below {@link #nextNonce}: a nonce not yet handed out
     *         is never filled
     */
    FillerTransaction recordFiller(FillerTransaction filler);

    /**
     * Every filler recorded for {@code wallet} on {@code fromNonce} or above, by nonce, then in the order recorded.
     *
     * @param fromNonce not negative; 0 for all of them
     * @return possibly empty, never null
     */
    List<FillerTransaction> fillersFrom(Address wallet, long fromNonce);
}
