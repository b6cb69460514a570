package dev.basenft.core.service;

import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.out.JobOutcome;

/**
 * What the queue does with a job, given what processing its batch did. Lives with the worker, not on the in-port's
 * outcome, so the in-port speaks only in in-port and model types.
 */
final class JobOutcomes {

    private JobOutcomes() {
    }

    /**
     * @param outcome never null
     * @return never null
     */
    static JobOutcome of(BatchOutcome outcome) {
        return switch (outcome) {
            case BatchOutcome.Completed c -> new JobOutcome.Done(
                    "minted " + c.receipt().tokens().size() + " tokens in tx " + c.receipt().hash());
            case BatchOutcome.AlreadyCompleted a -> new JobOutcome.Done("already completed");
            case BatchOutcome.Skipped s -> new JobOutcome.Done("skipped: " + s.reason());
            case BatchOutcome.Delayed d -> new JobOutcome.Delay(d.delay(), d.reason());
            case BatchOutcome.RetryLater r -> new JobOutcome.Retry(r.error());
            case BatchOutcome.Failed f -> new JobOutcome.Failed(f.error());
        };
    }
}
