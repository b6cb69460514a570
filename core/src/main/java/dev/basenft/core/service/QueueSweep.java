package dev.basenft.core.service;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.DistributionQueue;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Heals the queue from the stores: every batch that is still open in the stores gets a live job. The stores are the
 * system of record, the queue only a schedule; a queue can lose jobs (a Redis restarted without persistence) or finish one
 * while its batch stays open (a job failed for stalling after its workers were killed again and again). Without this, such
 * a batch would wait forever in PROCESSING. Re-adding is always safe: processing is exactly-once whatever the job count.
 *
 * <p>Thread-safe; several workers may sweep at once.
 */
public final class QueueSweep {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");
    private static final int PAGE = 500;

    private final Batches batches;
    private final DistributionQueue queue;

    @Inject
    public QueueSweep(Batches batches, DistributionQueue queue) {
        this.batches = Objects.requireNonNull(batches, "batches");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /**
     * Pages through the open batches and makes sure the queue holds a job for each.
     *
     * @return how many jobs had to be added
     */
    public int run() {
        int added = 0;
        Optional<BatchId> after = Optional.empty();
        while (true) {
            List<Batch> page = batches.open(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            added += queue.ensureQueued(page);
            after = Optional.of(page.get(page.size() - 1).id());
        }
        if (added > 0) {
            LOG.log(Level.WARNING, "[worker] Re-enqueued {0} open batch(es) the queue had lost or finished",
                    Integer.toString(added));
        }
        return added;
    }
}
