package dev.basenft.adapter.redis;

import dev.basenft.core.port.out.DistributionJob;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jobs taken ahead by a finish for the next take (BullMQ's "fetch next"): one round trip per job instead of two. At most
 * {@code concurrency}; locked and renewed like any held job; given back to {@code wait} when the queue closes.
 *
 * <p>Thread-safe. Arguments must not be null.
 */
final class FetchedAhead {

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.redis");

    private final Queue<DistributionJob> fetched = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int capacity;
    private final QueueConnection connection;
    private final ReleaseScript release;
    private final HeldJobs held;

    FetchedAhead(int capacity, QueueConnection connection, ReleaseScript release, HeldJobs held) {
        this.capacity = capacity;
        this.connection = connection;
        this.release = release;
        this.held = held;
    }

    /** Whether another job may be taken ahead. */
    boolean hasRoom() {
        return count.get() < capacity;
    }

    void add(DistributionJob job) {
        fetched.add(job);
        count.incrementAndGet();
    }

    /** The oldest job taken ahead, if any. */
    Optional<DistributionJob> poll() {
        DistributionJob job = fetched.poll();
        if (job != null) {
            count.decrementAndGet();
        }
        return Optional.ofNullable(job);
    }

    /** Gives every job taken ahead back to {@code wait}, at the end that runs next. */
    void giveBackAll() {
        Optional<DistributionJob> next;
        while ((next = poll()).isPresent()) {
            DistributionJob job = next.get();
            try {
                release.run(connection.once(), job.jobId(), job.lockToken());
            } catch (RuntimeException e) {
                // Its lock lapses, and a stalled check gives it back instead.
                LOG.log(Level.WARNING, "Could not give back job " + job.jobId() + ": " + e);
            } finally {
                held.forget(job.jobId(), job.lockToken());
            }
        }
    }
}
