package dev.basenft.core.port.in;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;

/**
 * Mints one batch, exactly once, whatever happened to earlier attempts (SPEC §3 layers 3–5, §4).
 */
public interface ProcessBatchUseCase {

    /** Never throws for a chain or batch problem: the outcome says what happened. */
    BatchOutcome process(ProcessBatchCommand command);

    /**
     * @param batchId never null
     * @param attemptsMade failed attempts before this one
     * @param maxAttempts attempts allowed in all; on the last one a transport failure delays the batch instead of retrying
     */
    record ProcessBatchCommand(BatchId batchId, int attemptsMade, int maxAttempts) {
        public ProcessBatchCommand {
            Require.notNull("batchId", batchId);
            if (attemptsMade < 0) {
                throw new IllegalArgumentException("attemptsMade must not be negative");
            }
            Require.positive("maxAttempts", maxAttempts);
        }

        public boolean isLastAttempt() {
            return attemptsMade + 1 >= maxAttempts;
        }
    }

    /** What processing a batch did, and so what the queue should do with its job. */
    sealed interface BatchOutcome {

        BatchId batchId();

        /** The job's fate in the queue. */
        JobOutcome toJobOutcome();

        /** Minted now, or found minted and reconciled. */
        record Completed(BatchId batchId, MintReceipt receipt, boolean reconciled) implements BatchOutcome {
            @Override
            public JobOutcome toJobOutcome() {
                return new JobOutcome.Done("minted " + receipt.tokens().size() + " tokens in tx " + receipt.hash());
            }
        }

        /** The batch was already COMPLETED: nothing done (layer 3). */
        record AlreadyCompleted(BatchId batchId) implements BatchOutcome {
            @Override
            public JobOutcome toJobOutcome() {
                return new JobOutcome.Done("already completed");
            }
        }

        /** Nothing for this job to do: the batch is missing, or FAILED and waiting for "Retry Failed". */
        record Skipped(BatchId batchId, String reason) implements BatchOutcome {
            @Override
            public JobOutcome toJobOutcome() {
                return new JobOutcome.Done("skipped: " + reason);
            }
        }

        /** Try again after {@code delay} without using an attempt. */
        record Delayed(BatchId batchId, Duration delay, String reason) implements BatchOutcome {
            @Override
            public JobOutcome toJobOutcome() {
                return new JobOutcome.Delay(delay, reason);
            }
        }

        /** A transient failure; the queue retries with backoff. */
        record RetryLater(BatchId batchId, String error) implements BatchOutcome {
            @Override
            public JobOutcome toJobOutcome() {
                return new JobOutcome.Retry(error);
            }
        }

        /** The batch is FAILED with a readable error. */
        record Failed(BatchId batchId, String error) implements BatchOutcome {
            @Override
            public JobOutcome toJobOutcome() {
                return new JobOutcome.Failed(error);
            }
        }
    }
}
