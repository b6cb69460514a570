package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchRef;
import dev.basenft.core.model.Require;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The queue of batches to mint (docs/architecture.md#the-queue-in-redis; BullMQ's {@code distribution} queue in
 * production). A batch is in the queue at most once per run: its job id comes from {@link BatchRef#jobId()}, and
 * enqueueing it again is a no-op (layer 2 of docs/architecture.md#exactly-once). Safe for concurrent use by producers
 * and workers.
 *
 * <p>Campaigns share the workers: a campaign's batches are handed out in index order, taking turns with the other
 * campaigns' (every campaign's first batch before any campaign's second); a campaign enqueued while others run joins
 * their turns rather than going before or after them, a campaign enqueued in several calls ranks as if in one, and a
 * delayed job keeps its place (see the queue contract tests and docs/architecture.md#the-queue-in-redis).
 */
public interface DistributionQueue {

    /**
     * Adds a job for each batch's current run unless one with its job id exists, all in one call (one round trip to a
     * remote queue), so starting a distribution of many batches costs one call, not one per batch. A job needs only what
     * {@link BatchRef} holds, so a freshly planned batch is queued without its recipients.
     *
     * @param batches not null, no null elements; may be empty
     * @return how many jobs were added
     */
    int enqueueAll(List<? extends BatchRef> batches);

    /** Adds a job for the batch's current run unless one with its job id exists: {@link #enqueueAll} of one. */
    default void enqueue(BatchRef batch) {
        enqueueAll(List.of(Require.notNull("batch", batch)));
    }

    /**
     * Makes sure each open batch has a live job for its current run — waiting, delayed or active — and adds one where it
     * has none: where the queue lost it (a Redis restarted without persistence) or finished it while the batch stayed open
     * (failed for stalling after repeated worker crashes). The stores say which batches are open; this heals the queue from
     * them. Safe to run from several workers at once: adding stays idempotent.
     *
     * @param openBatches batches that are not COMPLETED or FAILED; not null, no null elements
     * @return how many jobs were added
     */
    int ensureQueued(List<? extends BatchRef> openBatches);

    /**
     * Takes the next job, waiting up to {@code maxWait}; the job is locked to this worker until finished.
     *
     * @return empty when none arrived in time
     * @throws InterruptedException when the waiting thread is interrupted (shutdown)
     */
    Optional<DistributionJob> take(Duration maxWait) throws InterruptedException;

    /** Settles a taken job as {@code outcome} says: done, delayed (no attempt used), retried with backoff, or failed. */
    void finish(DistributionJob job, JobOutcome outcome);

    /** Stops taking jobs and releases resources; jobs in flight may still be finished. Idempotent. */
    void close();
}
