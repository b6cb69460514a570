package dev.basenft.core.model;

/**
 * What the queue needs to know of a batch: which one it is, whose, where in its campaign, and which run; not its
 * recipients. A {@link Batch} is one. So is a {@link PlannedBatch}, which planning hands to the queue without reading a
 * million addresses back out of the store. Implementations are immutable and thread-safe.
 */
public sealed interface BatchRef permits Batch, PlannedBatch {

    /** Never null. */
    BatchId id();

    /** Never null. */
    CampaignId campaignId();

    /** Position within the campaign, from 0. */
    int index();

    /** Incremented by each "Retry Failed", so a retried batch gets a fresh queue job; 0 or more. */
    int run();

    /** The queue job id for this batch's current run: letters, digits, dashes and underscores only (BullMQ forbids ':'). */
    default String jobId() {
        return "batch_" + id() + "_" + run();
    }
}
