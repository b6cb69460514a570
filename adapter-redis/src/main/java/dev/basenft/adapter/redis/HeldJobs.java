package dev.basenft.adapter.redis;

import dev.basenft.core.port.out.DistributionJob;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jobs this queue instance holds a lock on, and the two timers that keep locks honest: one renews every held job's lock
 * each half {@code lockDuration}, so a live worker keeps its jobs; one runs the stalled-job check each
 * {@code stalledInterval}, so a dead worker's job goes back to {@code wait}.
 *
 * <p>Thread-safe. Arguments must not be null.
 */
final class HeldJobs {

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.redis");
    /** How often a closing queue looks whether its last held job was finished. */
    private static final long CLOSE_POLL_MILLIS = 50;
    /** Renewing more often than this would only load Redis, whatever the lock duration. */
    private static final long MIN_RENEW_MILLIS = 50;

    /** A lock this instance holds, with what it needs to settle the job as the job's own options say. */
    record Held(String token, Backoff backoff, int keepCompleted, int keepFailed) {
    }

    private final RedisQueueSettings settings;
    private final InstantSource clock;
    private final QueueConnection connection;
    private final ExtendScript extend;
    private final StalledScript stalled;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final String workerId = UUID.randomUUID().toString();
    private final AtomicLong lockCounter = new AtomicLong();
    private final ScheduledExecutorService timers;

    HeldJobs(RedisQueueSettings settings, InstantSource clock, QueueConnection connection, ExtendScript extend,
            StalledScript stalled) {
        this.settings = settings;
        this.clock = clock;
        this.connection = connection;
        this.extend = extend;
        this.stalled = stalled;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "redis-queue-" + settings.queueName() + "-timers");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
    }

    /** A lock token no other take, here or in another process, uses. */
    String nextToken() {
        return workerId + ":" + lockCounter.incrementAndGet();
    }

    /** Notes that this instance holds {@code jobId}'s lock; the renewal timer renews it from now on. */
    void hold(String jobId, Held lock) {
        held.put(jobId, lock);
    }

    /** The lock held on {@code job}, when it is still the one {@code job} was taken with. */
    Optional<Held> lockOf(DistributionJob job) {
        Held lock = held.get(job.jobId());
        return lock != null && lock.token().equals(job.lockToken()) ? Optional.of(lock) : Optional.empty();
    }

    /** Stops renewing {@code lock}, unless the job has been taken again since under another one. */
    void forget(String jobId, Held lock) {
        held.remove(jobId, lock);
    }

    /** Stops renewing the lock taken with {@code token}, if that is the one held on {@code jobId}. */
    void forget(String jobId, String token) {
        Held lock = held.get(jobId);
        if (lock != null && lock.token().equals(token)) {
            held.remove(jobId, lock);
        }
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Starts the renewal and stalled-check timers. */
    void startTimers() {
        long renewEvery = Math.max(MIN_RENEW_MILLIS, settings.lockDuration().toMillis() / 2);
        timers.scheduleAtFixedRate(this::renewLocksQuietly, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long checkEvery = settings.stalledInterval().toMillis();
        timers.scheduleWithFixedDelay(this::checkStalledQuietly, 0, checkEvery, TimeUnit.MILLISECONDS);
    }

    /** Stops both timers: a job abandoned from now on lapses, so another worker can recover it. Idempotent. */
    void stopTimers() {
        timers.shutdownNow();
    }

    /**
     * Runs {@code then} once no job is held any more, or after {@code atMost}, whichever comes first: at once when none is
     * held, else on a daemon thread (a closing queue lets its workers finish what they hold).
     */
    void whenNoneHeld(Duration atMost, Runnable then) {
        if (held.isEmpty()) {
            then.run();
            return;
        }
        Thread.ofPlatform().daemon().name("redis-queue-" + settings.queueName() + "-close").start(() -> {
            try {
                long until = System.nanoTime() + atMost.toNanos();
                while (!held.isEmpty() && System.nanoTime() < until) {
                    TimeUnit.MILLISECONDS.sleep(CLOSE_POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                then.run();
            }
        });
    }

    private void renewLocksQuietly() {
        try {
            renewLocks();
        } catch (RuntimeException e) {
            // A missed renewal is harmless while the next one comes within the lock's life; the timer must go on.
            connection.markDown(e);
        }
    }

    /** Renews the locks of every job this instance holds; forgets those it turns out to have lost. */
    void renewLocks() {
        if (held.isEmpty()) {
            return;
        }
        Map<String, Held> snapshot = Map.copyOf(held);
        Map<String, String> tokens = new HashMap<>();
        snapshot.forEach((jobId, lock) -> tokens.put(jobId, lock.token()));
        for (String jobId : extend.run(connection.once(), tokens)) {
            if (held.remove(jobId, snapshot.get(jobId))) {
                LOG.log(Level.WARNING, "Lost the lock of job {0}; another worker may run it", jobId);
            }
        }
    }

    private void checkStalledQuietly() {
        try {
            checkStalled(false);
        } catch (RuntimeException e) {
            connection.markDown(e);
        }
    }

    /**
     * Runs the stalled-job check now.
     *
     * @param force run even when any worker ran a check within the last {@code stalledInterval}
     * @return the ids moved back to {@code wait}
     */
    List<String> checkStalled(boolean force) {
        List<String> ids = stalled.run(connection.once(), clock.millis(), force);
        if (!ids.isEmpty()) {
            LOG.log(Level.WARNING, "Moved {0} stalled job(s) back to wait: {1}", Integer.toString(ids.size()), ids);
        }
        return ids;
    }
}
