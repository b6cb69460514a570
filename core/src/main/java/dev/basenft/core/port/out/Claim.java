package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Require;
import java.time.Instant;

/**
 * A worker's lease on a batch.
 *
 * @param batchId never null
 * @param worker the claiming worker's id, unique per process; never blank
 * @param now the claimant's current time, used to judge whether an earlier lease expired; never null
 * @param until when this lease lapses if not released; after {@code now}
 */
public record Claim(BatchId batchId, String worker, Instant now, Instant until) {

    public Claim {
        Require.notNull("batchId", batchId);
        Require.text("worker", worker, 1, 200);
        Require.notNull("now", now);
        Require.notNull("until", until);
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("until must be after now");
        }
    }
}
