package dev.basenft.core.model;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runbook's "distribution record": a fixed list of recipients minted by one {@code mintBatch} call.
 *
 * <p>The operations that change a batch ({@link #claimed}, {@link #released}, {@link #submitted}, {@link #completed},
 * {@link #failed}, {@link #requeued}) return the changed copy, and throw {@link IllegalTransitionException} when the
 * batch's status is not one {@link BatchLifecycle} lets the operation start from. Stores apply them inside their
 * compare-and-set. Immutable and thread-safe.
 *
 * @param id never null
 * @param campaignId never null
 * @param index position within the campaign, from 0; unique per campaign
 * @param key the on-chain batch key, derived from campaign and index; never null
 * @param recipients fixed when planned, 1 or more, no duplicates; never null
 * @param status never null
 * @param attempts how many times a worker has claimed it
 * @param run incremented by each "Retry Failed", so a retried batch gets a fresh queue job
 * @param nonce the minter nonce of its transaction once signed; never null
 * @param gasUsed once mined; never null
 * @param blockNumber once mined; never null
 * @param error the readable reason of the last failure; never null
 * @param updatedAt never null
 * @param fees what its mined transaction cost, from the receipt that completed it; empty before, or when the chain did not
 *     report it. Never null.
 */
public record Batch(
        BatchId id,
        CampaignId campaignId,
        int index,
        BatchKey key,
        List<Address> recipients,
        BatchStatus status,
        int attempts,
        int run,
        Optional<Long> nonce,
        Optional<Long> gasUsed,
        Optional<Long> blockNumber,
        Optional<String> error,
        Instant updatedAt,
        Optional<ReceiptFees> fees) implements BatchRef {

    public Batch {
        Require.notNull("id", id);
        Require.notNull("campaignId", campaignId);
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        Require.notNull("key", key);
        recipients = List.copyOf(Require.notNull("recipients", recipients));
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one recipient");
        }
        if (recipients.stream().distinct().count() != recipients.size()) {
            throw new IllegalArgumentException("a batch must not list an address twice");
        }
        Require.notNull("status", status);
        if (attempts < 0 || run < 0) {
            throw new IllegalArgumentException("attempts and run must not be negative");
        }
        Require.notNull("nonce", nonce);
        Require.notNull("gasUsed", gasUsed);
        Require.notNull("blockNumber", blockNumber);
        Require.notNull("error", error);
        Require.notNull("updatedAt", updatedAt);
        Require.notNull("fees", fees);
    }

    /** A batch whose fees are not known (not mined, or mined before fees were recorded). */
    public Batch(BatchId id, CampaignId campaignId, int index, BatchKey key, List<Address> recipients, BatchStatus status,
            int attempts, int run, Optional<Long> nonce, Optional<Long> gasUsed, Optional<Long> blockNumber,
            Optional<String> error, Instant updatedAt) {
        this(id, campaignId, index, key, recipients, status, attempts, run, nonce, gasUsed, blockNumber, error, updatedAt,
                Optional.empty());
    }

    /** What the minter paid for this batch's mint: gas used × effective gas price + L1 data fee; empty when not known. */
    public Optional<Wei> feePaid() {
        return gasUsed.flatMap(gas -> fees.map(f -> f.total(gas)));
    }

    /** A freshly planned batch: PENDING, no attempts, key derived from campaign and index. */
    public static Batch planned(BatchId id, CampaignId campaignId, int index, List<Address> recipients, Instant at) {
        return new Batch(id, campaignId, index, BatchKey.derive(campaignId, index), recipients, BatchStatus.PENDING, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), at);
    }

    /** Claimed by a worker at {@code at}: PENDING becomes PROCESSING, and {@code attempts} goes up by one. */
    public Batch claimed(Instant at) {
        return with(BatchLifecycle.afterClaim(status), attempts + 1, run, nonce, gasUsed, blockNumber, error, at);
    }

    /** Given back by its lease holder at {@code at}, nothing sent: PROCESSING becomes PENDING, SUBMITTED stays. */
    public Batch released(Instant at) {
        return with(BatchLifecycle.afterRelease(status), attempts, run, nonce, gasUsed, blockNumber, error, at);
    }

    /** Given back like {@link #released}, with {@code reason} (not null) as its error: why it waits. */
    public Batch waiting(String reason, Instant at) {
        Require.notNull("reason", reason);
        return with(BatchLifecycle.afterRelease(status), attempts, run, nonce, gasUsed, blockNumber, Optional.of(reason), at);
    }

    /** SUBMITTED with a transaction signed on {@code nonce}, stored at {@code at}. */
    public Batch submitted(long nonce, Instant at) {
        BatchLifecycle.require(BatchLifecycle.SUBMITTABLE, status, BatchStatus.SUBMITTED);
        return with(status.moveTo(BatchStatus.SUBMITTED), attempts, run, Optional.of(nonce), gasUsed, blockNumber, error, at);
    }

    /**
     * COMPLETED by {@code receipt}, with its gas, block and fees, and no error.
     *
     * @throws IllegalArgumentException unless the receipt succeeded and names every recipient exactly once (see
     *     {@link #tokensByRecipient})
     */
    public Batch completed(MintReceipt receipt, Instant at) {
        BatchLifecycle.require(BatchLifecycle.COMPLETABLE, status, BatchStatus.COMPLETED);
        tokensByRecipient(receipt);
        return new Batch(id, campaignId, index, key, recipients, status.moveTo(BatchStatus.COMPLETED), attempts, run, nonce,
                Optional.of(receipt.gasUsed()), Optional.of(receipt.blockNumber()), Optional.empty(),
                Require.notNull("at", at), receipt.fees());
    }

    /** FAILED with {@code reason} (not null). */
    public Batch failed(String reason, Instant at) {
        Require.notNull("reason", reason);
        BatchLifecycle.require(BatchLifecycle.FAILABLE, status, BatchStatus.FAILED);
        return with(status.moveTo(BatchStatus.FAILED), attempts, run, nonce, gasUsed, blockNumber, Optional.of(reason), at);
    }

    /** "Retry Failed": PENDING again, with {@code run} one higher so it gets a fresh queue job. */
    public Batch requeued(Instant at) {
        BatchLifecycle.require(BatchLifecycle.RETRYABLE, status, BatchStatus.PENDING);
        return with(status.moveTo(BatchStatus.PENDING), attempts, run + 1, nonce, gasUsed, blockNumber, error, at);
    }

    /** CANCELLED: its campaign was cancelled before anything was signed for it (PENDING or PROCESSING only). */
    public Batch cancelled(Instant at) {
        if (!BatchLifecycle.CANCELLABLE.contains(status) && !BatchLifecycle.WITHDRAWABLE.contains(status)) {
            throw new IllegalTransitionException("batch", status, BatchStatus.CANCELLED);
        }
        return with(status.moveTo(BatchStatus.CANCELLED), attempts, run, nonce, gasUsed, blockNumber, error, at);
    }

    /**
     * The token each recipient got from {@code receipt}, after checking that it covers this batch: every recipient named
     * exactly once, and nobody else. A receipt that does not cannot complete the batch.
     *
     * @return one entry per recipient; never null
     * @throws IllegalArgumentException when the receipt failed, names someone who is not a recipient, names a recipient twice,
     *     or leaves one out
     */
    public Map<Address, MintedToken> tokensByRecipient(MintReceipt receipt) {
        requireSuccessful(receipt);
        Map<Address, MintedToken> byRecipient = new HashMap<>();
        for (MintedToken token : receipt.tokens()) {
            if (!recipients.contains(token.to())) {
                throw new IllegalArgumentException("receipt " + receipt.hash() + " mints token " + token.tokenId() + " to "
                        + token.to() + ", who is not a recipient of batch " + id);
            }
            if (byRecipient.put(token.to(), token) != null) {
                throw new IllegalArgumentException("receipt " + receipt.hash() + " names recipient " + token.to()
                        + " of batch " + id + " more than once");
            }
        }
        if (byRecipient.size() != recipients.size()) {
            throw new IllegalArgumentException("receipt " + receipt.hash() + " names " + byRecipient.size() + " of the "
                    + recipients.size() + " recipients of batch " + id + "; every one needs its token");
        }
        return Map.copyOf(byRecipient);
    }

    /**
     * Throws unless {@code receipt} succeeded: a reverted transaction completes nothing.
     *
     * @throws IllegalArgumentException for a failed receipt
     */
    public static void requireSuccessful(MintReceipt receipt) {
        Require.notNull("receipt", receipt);
        if (!receipt.succeeded()) {
            throw new IllegalArgumentException("only a successful receipt completes a batch, got failure "
                    + receipt.failure() + " in " + receipt.hash());
        }
    }

    private Batch with(BatchStatus newStatus, int newAttempts, int newRun, Optional<Long> newNonce,
            Optional<Long> newGasUsed, Optional<Long> newBlockNumber, Optional<String> newError, Instant at) {
        Require.notNull("at", at);
        return new Batch(id, campaignId, index, key, recipients, newStatus, newAttempts, newRun, newNonce, newGasUsed,
                newBlockNumber, newError, at, fees);
    }
}
