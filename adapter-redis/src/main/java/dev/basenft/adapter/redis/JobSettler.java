package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.internal.Json;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Settles taken jobs: each {@link JobOutcome} becomes one finish or reschedule script, with the job's own backoff and keep
 * counts when this instance still holds its lock; completing or failing may take the next job ahead.
 *
 * <p>Thread-safe. Arguments must not be null.
 */
final class JobSettler {

    private final RedisQueueSettings settings;
    private final InstantSource clock;
    private final QueueConnection connection;
    private final FinishScript finish;
    private final RescheduleScript reschedule;
    private final JobTaker taker;
    private final HeldJobs held;
    private final FetchedAhead fetched;
    private final BooleanSupplier closed;

    JobSettler(RedisQueueSettings settings, InstantSource clock, QueueConnection connection, FinishScript finish,
            RescheduleScript reschedule, JobTaker taker, HeldJobs held, FetchedAhead fetched, BooleanSupplier closed) {
        this.settings = settings;
        this.clock = clock;
        this.connection = connection;
        this.finish = finish;
        this.reschedule = reschedule;
        this.taker = taker;
        this.held = held;
        this.fetched = fetched;
        this.closed = closed;
    }

    /**
     * Settles {@code job} as {@code outcome} says.
     *
     * @param lock the lock this instance holds on the job, or empty when it lost it (then the settings' options apply,
     *     and the script most likely refuses)
     * @throws IllegalStateException when the script refused: nothing changed then
     */
    void settle(DistributionJob job, Optional<HeldJobs.Held> lock, JobOutcome outcome) {
        String jobId = job.jobId();
        String token = job.lockToken();
        long now = clock.millis();
        int keepCompleted = lock.map(HeldJobs.Held::keepCompleted).orElse(settings.keepCompleted());
        int keepFailed = lock.map(HeldJobs.Held::keepFailed).orElse(settings.keepFailed());
        Optional<Refusal> refusal = switch (outcome) {
            case JobOutcome.Done done -> finishAndFetch(jobId, token, now, FinishScript.Target.COMPLETED,
                    Json.quote(done.summary()), keepCompleted, false);
            case JobOutcome.Failed failed -> finishAndFetch(jobId, token, now, FinishScript.Target.FAILED, failed.error(),
                    keepFailed, false);
            case JobOutcome.Delay delay -> reschedule(new RescheduleScript.Request(jobId, token, now,
                    now + Delays.millis("delay", delay.delay()), false, ""));
            case JobOutcome.Retry retry -> {
                if (job.isLastAttempt()) {
                    yield finishAndFetch(jobId, token, now, FinishScript.Target.FAILED, retry.error(), keepFailed, true);
                }
                Backoff backoff = lock.map(HeldJobs.Held::backoff).orElse(settings.backoff());
                long wait = backoff.delayMillis(job.attemptsMade() + 1, ThreadLocalRandom.current()::nextDouble);
                yield reschedule(new RescheduleScript.Request(jobId, token, now, now + Math.min(wait, Delays.MAX_MILLIS),
                        true, retry.error()));
            }
        };
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get().message(jobId));
        }
    }

    private Optional<Refusal> reschedule(RescheduleScript.Request request) {
        return reschedule.run(connection.retrying(settings.lockDuration()), request);
    }

    /** Completes or fails the job and, while this instance takes jobs and has room, takes the next one ahead. */
    private Optional<Refusal> finishAndFetch(String jobId, String token, long now, FinishScript.Target target,
            String value, int keep, boolean exhausted) {
        boolean fetch = settings.fetchNext() && !closed.getAsBoolean() && fetched.hasRoom();
        Optional<String> nextToken = fetch ? Optional.of(held.nextToken()) : Optional.empty();
        FinishScript.Reply reply = finish.run(connection.batched(settings.lockDuration()),
                new FinishScript.Request(jobId, token, now, target, value, keep, exhausted, nextToken));
        reply.next().flatMap(taker::acceptFetched).ifPresent(next -> {
            fetched.add(next);
            if (closed.getAsBoolean()) {
                // Closed meanwhile: nobody will take it from here.
                fetched.giveBackAll();
            }
        });
        return reply.refusal();
    }
}
