package dev.basenft.core.port.in;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.Require;
import java.time.Duration;

/**
 * Mints one batch, exactly once, whatever happened to earlier attempts (layers 3–5 of
 * docs/architecture.md#exactly-once; #the-worker).
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

    /** What processing a batch did; the worker turns it into the job's fate in the queue. */
    sealed interface BatchOutcome {

        BatchId batchId();

        /** Minted now, or found minted and reconciled. */
        record Completed(BatchId batchId, MintReceipt receipt, boolean reconciled) implements BatchOutcome {
        }

        /** The batch was already COMPLETED: nothing done (layer 3). */
        record AlreadyCompleted(BatchId batchId) implements BatchOutcome {
        }

        /** Nothing for this job to do: the batch is missing, or FAILED and waiting for "Retry Failed". */
        record Skipped(BatchId batchId, String reason) implements BatchOutcome {
        }

        /** Try again after {@code delay} without using an attempt. */
        record Delayed(BatchId batchId, Duration delay, String reason) implements BatchOutcome {
        }

        /** A transient failure; the queue retries with backoff. */
        record RetryLater(BatchId batchId, String error) implements BatchOutcome {
        }

        /** The batch is FAILED with a readable error. */
        record Failed(BatchId batchId, String error) implements BatchOutcome {
        }
    }
}
