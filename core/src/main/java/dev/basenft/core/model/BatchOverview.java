package dev.basenft.core.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A batch as a listing shows it: everything of {@link Batch} but its recipient list, of which only the count is kept. A
 * listing of a million-recipient campaign reads a few kilobytes per page instead of every batch's address array.
 * Immutable and thread-safe.
 *
 * @param id never null
 * @param index position within the campaign, from 0
 * @param key never null
 * @param status never null
 * @param attempts not negative
 * @param run not negative
 * @param recipientCount 1 or more
 * @param nonce never null
 * @param gasUsed never null
 * @param blockNumber never null
 * @param error never null
 * @param updatedAt never null
 * @param fees never null; see {@link Batch#fees()}
 */
public record BatchOverview(BatchId id, int index, BatchKey key, BatchStatus status, int attempts, int run,
        int recipientCount, Optional<Long> nonce, Optional<Long> gasUsed, Optional<Long> blockNumber,
        Optional<String> error, Instant updatedAt, Optional<ReceiptFees> fees) {

    public BatchOverview {
        Require.notNull("id", id);
        Require.atLeast("index", index, 0);
        Require.notNull("key", key);
        Require.notNull("status", status);
        Require.atLeast("attempts", attempts, 0);
        Require.atLeast("run", run, 0);
        Require.atLeast("recipientCount", recipientCount, 1);
        Require.notNull("nonce", nonce);
        Require.notNull("gasUsed", gasUsed);
        Require.notNull("blockNumber", blockNumber);
        Require.notNull("error", error);
        Require.notNull("updatedAt", updatedAt);
        Require.notNull("fees", fees);
    }

    /** The overview of {@code batch} (not null). */
    public static BatchOverview of(Batch batch) {
        Require.notNull("batch", batch);
        return new BatchOverview(batch.id(), batch.index(), batch.key(), batch.status(), batch.attempts(), batch.run(),
                batch.recipients().size(), batch.nonce(), batch.gasUsed(), batch.blockNumber(), batch.error(),
                batch.updatedAt(), batch.fees());
    }

    /** What the minter paid for this batch's mint; empty when not known. See {@link Batch#feePaid()}. */
    public Optional<Wei> feePaid() {
        return gasUsed.flatMap(gas -> fees.map(f -> f.total(gas)));
    }
}
