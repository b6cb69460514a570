package dev.basenft.adapter.redis;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.port.out.DistributionJob;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Hands out jobs: the take loop, which tries a take step, then sleeps on the marker until a job may be there (or the
 * earliest delayed job falls due), and turns what a take step found into a job this instance holds, failing at once a job
 * that must not run.
 *
 * <p>Thread-safe. Arguments must not be null.
 */
final class JobTaker {

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.redis");
    /** The longest nap while Redis is unreachable, so a take notices it is back soon. */
    private static final long MAX_DOWN_PAUSE_MILLIS = 250;
    /** How long a blocked wait lasts at the least, so a due time a millisecond away does not spin. */
    private static final long MIN_BLOCK_MILLIS = 1;

    private final RedisQueueSettings settings;
    private final InstantSource clock;
    private final QueueConnection connection;
    private final TakeScript take;
    private final FinishScript finish;
    private final HeldJobs held;
    private final FetchedAhead fetched;
    private final String markerKey;
    private final BooleanSupplier closed;

    JobTaker(RedisQueueSettings settings, InstantSource clock, QueueConnection connection, TakeScript take,
            FinishScript finish, HeldJobs held, FetchedAhead fetched, String markerKey, BooleanSupplier closed) {
        this.settings = settings;
        this.clock = clock;
        this.connection = connection;
        this.take = take;
        this.finish = finish;
        this.held = held;
        this.fetched = fetched;
        this.markerKey = markerKey;
        this.closed = closed;
    }

    /** The result of one take step: a job, nothing until {@code nextDue} (-1: no delayed job), or "try again now". */
    private record Step(DistributionJob job, long nextDue, boolean again) {
    }

    /** See {@link RedisDistributionQueue#take}. */
    Optional<DistributionJob> take(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, Delays.saturatedNanos(maxWait));
        while (!closed.getAsBoolean()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Optional<DistributionJob> ready = fetched.poll();
            if (ready.isPresent()) {
                return ready;
            }
            long nextDue;
            try {
                String token = held.nextToken();
                Step step = accept(take.run(connection.once(), token, clock.millis()));
                if (step.job() != null) {
                    return Optional.of(step.job());
                }
                if (step.again()) {
                    continue;
                }
                nextDue = step.nextDue();
            } catch (RuntimeException e) {
                if (!QueueConnection.isAway(e)) {
                    throw e;
                }
                connection.markDown(e);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.MILLISECONDS.sleep(Math.min(left, MAX_DOWN_PAUSE_MILLIS));
                continue;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return Optional.empty();
            }
            long block = Math.min(left, settings.drainDelay().toMillis());
            if (nextDue >= 0) {
                // Wake when the earliest delayed job falls due: promoting it is our job, there is no scheduler.
                block = Math.min(block, Math.max(MIN_BLOCK_MILLIS, nextDue - clock.millis()));
            }
            try {
                connection.awaitMarker(markerKey, block, closed);
            } catch (RuntimeException e) {
                if (!QueueConnection.isAway(e)) {
                    throw e;
                }
                if (!closed.getAsBoolean()) {
                    connection.markDown(e);
                    TimeUnit.MILLISECONDS.sleep(Math.min(block, MAX_DOWN_PAUSE_MILLIS));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A job taken ahead by a finish, as a job this instance holds; empty when it had to be failed instead.
     */
    Optional<DistributionJob> acceptFetched(TakeScript.Taken taken) {
        return Optional.ofNullable(accept(taken).job());
    }

    /**
     * Turns what a take step found into a job this instance holds. A job that must not run (stalled too often, or no valid
     * {@code batchId}) is failed at once, and the caller asked to take again.
     */
    private Step accept(TakeScript.Next next) {
        if (next instanceof TakeScript.Nothing nothing) {
            return new Step(null, nothing.nextDue(), false);
        }
        TakeScript.Taken taken = (TakeScript.Taken) next;
        HeldJobs.Held lock = new HeldJobs.Held(taken.token(), taken.backoff(), taken.keepCompleted(), taken.keepFailed());
        held.hold(taken.jobId(), lock);
        String mustFail = taken.mustFail();
        if (mustFail.isEmpty()) {
            try {
                BatchId batchId = BatchId.parse(taken.batchId());
                // BullMQ's attempts default is 0, meaning one attempt; a job always gets at least one.
                return new Step(new DistributionJob(taken.jobId(), batchId, Math.max(0, taken.attemptsMade()),
                        Math.max(1, taken.attempts()), taken.token()), -1, false);
            } catch (IllegalArgumentException e) {
                mustFail = "job data has no valid batchId (expected {\"batchId\":\"<uuid>\"}): " + e.getMessage();
            }
        }
        LOG.log(Level.WARNING, "Failing job {0} without running it: {1}", taken.jobId(), mustFail);
        try {
            FinishScript.Request request = new FinishScript.Request(taken.jobId(), taken.token(), clock.millis(),
                    FinishScript.Target.FAILED, mustFail, taken.keepFailed(), false, Optional.empty());
            finish.run(connection.batched(settings.lockDuration()), request).refusal()
                    .ifPresent(refusal -> LOG.log(Level.WARNING, refusal.message(taken.jobId())));
        } finally {
            held.forget(taken.jobId(), lock);
        }
        return new Step(null, -1, true);
    }
}
