package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Require;

/**
 * A job taken from the queue.
 *
 * @param jobId the queue's id; never blank
 * @param batchId the batch to process; never null
 * @param attemptsMade failed attempts before this one (0 on the first)
 * @param maxAttempts attempts allowed in all, 1 or more
 * @param lockToken the lock this worker holds; never blank
 */
public record DistributionJob(String jobId, BatchId batchId, int attemptsMade, int maxAttempts, String lockToken) {

    public DistributionJob {
        Require.text("jobId", jobId, 1, 200);
        Require.notNull("batchId", batchId);
        if (attemptsMade < 0) {
            throw new IllegalArgumentException("attemptsMade must not be negative");
        }
        Require.positive("maxAttempts", maxAttempts);
        Require.text("lockToken", lockToken, 1, 200);
    }

    /** True when this is the last attempt the job gets. */
    public boolean isLastAttempt() {
        return attemptsMade + 1 >= maxAttempts;
    }
}
