package dev.basenft.core.port.out;

import dev.basenft.core.model.Require;
import java.time.Duration;

/** What the queue should do with a finished job. */
public sealed interface JobOutcome {

    /** The job is done (the batch completed, was already complete, or needs nothing more from this job). */
    record Done(String summary) implements JobOutcome {
        public Done {
            Require.notNull("summary", summary);
        }
    }

    /** Run the job again after {@code delay} without using an attempt (breaker open, fees too high, balance low, pending tx). */
    record Delay(Duration delay, String reason) implements JobOutcome {
        public Delay {
            Require.notNull("delay", delay);
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
            Require.notNull("reason", reason);
        }
    }

    /** The attempt failed for a transient reason: retry with the queue's backoff while attempts remain. */
    record Retry(String error) implements JobOutcome {
        public Retry {
            Require.notNull("error", error);
        }
    }

    /** The job failed for good. */
    record Failed(String error) implements JobOutcome {
        public Failed {
            Require.notNull("error", error);
        }
    }
}
