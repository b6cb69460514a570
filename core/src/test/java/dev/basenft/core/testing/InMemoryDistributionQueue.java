package dev.basenft.core.testing;

import dev.basenft.core.model.BatchRef;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The distribution queue in memory, with BullMQ's semantics where the port relies on them:
 *
 * <ul>
 *   <li>a job's id is {@link BatchRef#jobId()}; enqueueing an id the queue has seen (waiting, delayed, active, completed or
 *       failed) is a no-op;
 *   <li>{@link JobOutcome.Delay} re-schedules without using an attempt; {@link JobOutcome.Retry} uses one and waits an
 *       exponential backoff ({@code backoff × 2^(attemptsMade − 1)}), or fails the job when none remain;
 *   <li>a taken job is locked for {@code lockDuration}; when its holder neither finishes it nor is heard from in that time
 *       (it crashed), the job is "stalled" and handed out again, and the old holder's {@code finish} is refused with
 *       {@link IllegalStateException}, as BullMQ refuses a job whose lock it lost;
 *   <li>campaigns share the queue as the Redis adapter's priorities make them (its add.lua): a campaign's new jobs get
 *       consecutive priorities by batch index, after the higher of the queue's round (one less than the priority of the
 *       last job taken) and the campaign's last priority (both 0 again once nothing is live); the lowest priority goes
 *       first, FIFO among equals; a delayed job keeps its priority, and a stalled one goes first, as BullMQ's
 *       {@code wait} list is taken before {@code prioritized}.
 * </ul>
 *
 * Delays and locks are judged against the {@link InstantSource} given (a {@link MutableClock} in tests); {@link #take} waits
 * in real time, re-reading that source every few milliseconds so a test thread advancing the clock wakes it.
 *
 * <p>Thread-safe. Arguments must be non-null.
 */
public final class InMemoryDistributionQueue implements DistributionQueue {

    /** Where a job is, in the terms of BullMQ's lists and sets. */
    public enum State {
        WAITING, DELAYED, ACTIVE, COMPLETED, FAILED
    }

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** bullmq's highest priority (its PRIORITY_LIMIT, 2^21 - 1). */
    private static final long MAX_PRIORITY = 2_097_151;

    private final InstantSource clock;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration lockDuration;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Insertion order is FIFO order among waiting jobs of equal readiness. */
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private long sequence;
    /** One less than the priority of the last job taken from among the prioritized (not a stalled one). */
    private int round;
    /** Each campaign's last priority given, so a distribution enqueued in several calls is ranked as in one. */
    private final Map<CampaignId, Integer> lastPriority = new HashMap<>();
    private long lockCounter;
    private boolean closed;

    /**
     * @param clock judges delays and lock expiry; not null
     * @param maxAttempts attempts each job gets, 1 or more (the runbook's 3)
     * @param backoff first retry delay, doubled for each further attempt; not negative
     * @param lockDuration how long a taken job stays its taker's without being finished; positive
     */
    public InMemoryDistributionQueue(InstantSource clock, int maxAttempts, Duration backoff, Duration lockDuration) {
        this.clock = Require.notNull("clock", clock);
        this.maxAttempts = (int) Require.positive("maxAttempts", maxAttempts);
        this.backoff = Require.notNull("backoff", backoff);
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative, got " + backoff);
        }
        this.lockDuration = Require.notNull("lockDuration", lockDuration);
        if (lockDuration.isNegative() || lockDuration.isZero()) {
            throw new IllegalArgumentException("lockDuration must be positive, got " + lockDuration);
        }
    }

    /** A queue with the runbook's 3 attempts, a 5 s backoff and a 5 min lock. */
    public static InMemoryDistributionQueue withDefaults(InstantSource clock) {
        return new InMemoryDistributionQueue(clock, 3, Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    @Override
    public int enqueueAll(List<? extends BatchRef> batches) {
        Require.notNull("batches", batches);
        List<BatchRef> copy = List.copyOf(batches);
        int[] added = {0};
        withLock(() -> {
            if (closed) {
                throw new IllegalStateException("queue is closed");
            }
            Map<BatchRef, Integer> priorities = priorities(copy, batch -> !jobs.containsKey(batch.jobId()));
            for (BatchRef batch : copy) {
                if (!jobs.containsKey(batch.jobId())) {
                    jobs.put(batch.jobId(), new Job(batch.jobId(), batch.id(), sequence++, priorities.get(batch)));
                    added[0]++;
                }
            }
            changed.signalAll();
        });
        return added[0];
    }

    @Override
    public int ensureQueued(List<? extends BatchRef> openBatches) {
        Require.notNull("openBatches", openBatches);
        int[] added = {0};
        withLock(() -> {
            if (closed) {
                throw new IllegalStateException("queue is closed");
            }
            Map<BatchRef, Integer> priorities = priorities(openBatches, batch -> {
                Job job = jobs.get(batch.jobId());
                return job == null || job.state == State.COMPLETED || job.state == State.FAILED;
            });
            for (BatchRef batch : openBatches) {
                Job job = jobs.get(batch.jobId());
                if (job == null || job.state == State.COMPLETED || job.state == State.FAILED) {
                    jobs.put(batch.jobId(), new Job(batch.jobId(), batch.id(), sequence++, priorities.get(batch)));
                    added[0]++;
                }
            }
            changed.signalAll();
        });
        return added[0];
    }

    /**
     * Each new job's priority: its campaign's jobs get consecutive ones by batch index, after the higher of the round and
     * the campaign's last priority. Under the lock.
     */
    private Map<BatchRef, Integer> priorities(List<? extends BatchRef> batches,
            java.util.function.Predicate<BatchRef> isNew) {
        boolean live = jobs.values().stream()
                .anyMatch(j -> j.state == State.WAITING || j.state == State.DELAYED || j.state == State.ACTIVE);
        if (!live) {
            round = 0;
            lastPriority.clear();
        }
        List<BatchRef> byIndex = new ArrayList<>(batches);
        byIndex.sort(Comparator.comparingInt(BatchRef::index));
        Map<BatchRef, Integer> priorities = new IdentityHashMap<>();
        Map<CampaignId, Integer> last = new HashMap<>();
        for (BatchRef batch : byIndex) {
            if (isNew.test(batch) && !priorities.containsKey(batch)) {
                int next = last.computeIfAbsent(batch.campaignId(),
                        c -> Math.max(round, lastPriority.getOrDefault(c, 0))) + 1;
                last.put(batch.campaignId(), next);
                priorities.put(batch, (int) Math.min(next, MAX_PRIORITY));
            }
        }
        lastPriority.putAll(last);
        return priorities;
    }

    @Override
    public Optional<DistributionJob> take(Duration maxWait) throws InterruptedException {
        Require.notNull("maxWait", maxWait);
        long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
        lock.lockInterruptibly();
        try {
            while (true) {
                if (closed) {
                    return Optional.empty();
                }
                Optional<Job> ready = nextReady(clock.instant());
                if (ready.isPresent()) {
                    Job job = ready.get();
                    if (!job.first) {
                        round = job.priority - 1;
                    }
                    job.first = false;
                    job.state = State.ACTIVE;
                    job.lockToken = "lock-" + (++lockCounter);
                    job.lockedUntil = clock.instant().plus(lockDuration);
                    return Optional.of(new DistributionJob(job.id, job.batchId, job.attemptsMade, maxAttempts,
                            job.lockToken));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                // Short slices, because time may move by a test advancing the clock, which signals nothing.
                changed.awaitNanos(Math.min(left, POLL_NANOS));
            }
        } finally {
            lock.unlock();
        }
    }

    private Optional<Job> nextReady(Instant now) {
        for (Job job : jobs.values()) {
            if (job.state == State.ACTIVE && !now.isBefore(job.lockedUntil)) {
                // Stalled: its holder is gone. BullMQ moves such jobs back to wait without using an attempt.
                job.state = State.WAITING;
                job.lockToken = null;
                job.first = true;
                job.readyOrder = sequence++;
            }
            if (job.state == State.DELAYED && !now.isBefore(job.readyAt)) {
                job.state = State.WAITING;
                job.readyOrder = sequence++;
            }
        }
        return jobs.values().stream()
                .filter(j -> j.state == State.WAITING)
                .min(Comparator.comparing((Job j) -> !j.first).thenComparingInt(j -> j.priority)
                        .thenComparingLong(j -> j.readyOrder));
    }

    @Override
    public void finish(DistributionJob taken, JobOutcome outcome) {
        Require.notNull("job", taken);
        Require.notNull("outcome", outcome);
        withLock(() -> {
            Job job = jobs.get(taken.jobId());
            Instant now = clock.instant();
            if (job == null || job.state != State.ACTIVE || !taken.lockToken().equals(job.lockToken)
                    || !now.isBefore(job.lockedUntil)) {
                throw new IllegalStateException("job " + taken.jobId() + " is not locked by " + taken.lockToken()
                        + " any more; its lock lapsed or it was finished");
            }
            job.lockToken = null;
            switch (outcome) {
                case JobOutcome.Done done -> job.state = State.COMPLETED;
                case JobOutcome.Delay delay -> {
                    job.state = State.DELAYED;
                    job.readyAt = now.plus(delay.delay());
                }
                case JobOutcome.Retry retry -> {
                    job.attemptsMade++;
                    job.lastError = retry.error();
                    if (job.attemptsMade >= maxAttempts) {
                        job.state = State.FAILED;
                    } else {
                        job.state = State.DELAYED;
                        job.readyAt = now.plus(backoff.multipliedBy(1L << Math.min(30, job.attemptsMade - 1)));
                    }
                }
                case JobOutcome.Failed failed -> {
                    job.attemptsMade++;
                    job.lastError = failed.error();
                    job.state = State.FAILED;
                }
            }
            changed.signalAll();
        });
    }

    @Override
    public void close() {
        withLock(() -> {
            closed = true;
            changed.signalAll();
        });
    }

    /** For tests: how many jobs are in each state (every state present). */
    public Map<State, Integer> counts() {
        Map<State, Integer> counts = new EnumMap<>(State.class);
        withLock(() -> {
            for (State s : State.values()) {
                counts.put(s, 0);
            }
            // Time-based moves are applied lazily by take(); report what they would show now.
            Instant now = clock.instant();
            for (Job job : jobs.values()) {
                counts.merge(effectiveState(job, now), 1, Integer::sum);
            }
        });
        return Map.copyOf(counts);
    }

    /** For tests: the state of a job, or empty when the queue never had it. */
    public Optional<State> state(String jobId) {
        Require.notNull("jobId", jobId);
        return locked(() -> Optional.ofNullable(jobs.get(jobId)).map(j -> effectiveState(j, clock.instant())));
    }

    /** For tests: every job id the queue has seen, in the order enqueued. */
    public List<String> jobIds() {
        return locked(() -> List.copyOf(jobs.keySet()));
    }

    /** For tests: the error a failed or retried job last reported, if any. */
    public Optional<String> lastError(String jobId) {
        Require.notNull("jobId", jobId);
        return locked(() -> Optional.ofNullable(jobs.get(jobId)).map(j -> j.lastError));
    }

    private static State effectiveState(Job job, Instant now) {
        if (job.state == State.DELAYED && !now.isBefore(job.readyAt)) {
            return State.WAITING;
        }
        if (job.state == State.ACTIVE && !now.isBefore(job.lockedUntil)) {
            return State.WAITING;
        }
        return job.state;
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void withLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Mutable job row; guarded by {@link #lock}. */
    private static final class Job {
        final String id;
        final BatchId batchId;
        final int priority;
        State state = State.WAITING;
        /** Stalled and waiting: handed out before any prioritized job. */
        boolean first;
        long readyOrder;
        Instant readyAt;
        int attemptsMade;
        String lockToken;
        Instant lockedUntil;
        String lastError;

        Job(String id, BatchId batchId, long order, int priority) {
            this.id = id;
            this.batchId = batchId;
            this.priority = priority;
            this.readyOrder = order;
        }
    }
}
