package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DistributionQueue}: a batch run is queued at most once; a taken job belongs to one worker; a delay
 * uses no attempt, a retry uses one and backs off, and the last one fails the job; a crashed worker's job comes back.
 *
 * <p>Implement {@link #newQueue(QueueSettings)}. Every duration the contract uses is short (at most a few seconds) so a
 * queue that runs on real time, like Redis, passes in reasonable time; an in-memory queue on a controllable clock passes
 * at once.
 */
public abstract class DistributionQueueContract {

    /** The settings the contract runs the queue with. */
    protected static final QueueSettings SETTINGS = new QueueSettings(3, Duration.ofMillis(300), Duration.ofSeconds(2));
    /** How long a take that should find nothing waits. */
    private static final Duration BRIEF = Duration.ofMillis(50);
    /** How long a take that should find a job may wait. */
    private static final Duration PATIENT = Duration.ofSeconds(5);

    private QueueFixture fixture;
    private DistributionQueue queue;

    /**
     * Returns an empty queue configured as {@code settings} says, and the means to let time pass for it. Called before each
     * test; {@link QueueFixture#close()} is called after it.
     *
     * @param settings never null
     * @return never null
     */
    protected abstract QueueFixture newQueue(QueueSettings settings);

    @BeforeEach
    protected final void openQueue() {
        fixture = newQueue(SETTINGS);
        queue = fixture.queue();
    }

    @AfterEach
    protected final void closeQueue() {
        fixture.close();
    }

    private static Batch batch() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1;
        return Batch.planned(new BatchId(UUID.randomUUID()), new CampaignId(UUID.randomUUID()), 0,
                List.of(Address.ofBytes(bytes)), Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The batches of one new campaign, indexes 0 to {@code count} - 1. */
    private static List<Batch> campaign(int count) {
        CampaignId campaign = new CampaignId(UUID.randomUUID());
        List<Batch> batches = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            Batch one = batch();
            batches.add(Batch.planned(one.id(), campaign, index, one.recipients(), one.updatedAt()));
        }
        return batches;
    }

    /** Takes {@code count} jobs, finishing each as done, and returns their batch ids in the order taken. */
    private List<BatchId> takeAndFinish(int count) throws InterruptedException {
        List<BatchId> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DistributionJob job = takeOne();
            taken.add(job.batchId());
            queue.finish(job, new JobOutcome.Done("minted"));
        }
        return taken;
    }

    private static List<BatchId> ids(Batch... batches) {
        return java.util.Arrays.stream(batches).map(Batch::id).toList();
    }

    private static Batch nextRun(Batch b) {
        return new Batch(b.id(), b.campaignId(), b.index(), b.key(), b.recipients(), BatchStatus.PENDING, b.attempts(),
                b.run() + 1, b.nonce(), b.gasUsed(), b.blockNumber(), b.error(), b.updatedAt());
    }

    private DistributionJob takeOne() throws InterruptedException {
        Optional<DistributionJob> job = queue.take(PATIENT);
        assertThat(job).as("a job should be ready").isPresent();
        return job.get();
    }

    private void assertNothingReady() throws InterruptedException {
        assertThat(queue.take(BRIEF)).as("no job should be ready").isEmpty();
    }

    @Test
    void handsOutAnEnqueuedBatchAsAJobOfItsRun() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);

        DistributionJob job = takeOne();

        assertThat(job.jobId()).isEqualTo(batch.jobId());
        assertThat(job.batchId()).isEqualTo(batch.id());
        assertThat(job.attemptsMade()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(SETTINGS.maxAttempts());
        assertThat(job.lockToken()).isNotBlank();
    }

    @Test
    void aPlannedBatchIsQueuedAsTheSameJobAsTheWholeBatch() throws Exception {
        Batch batch = batch();
        PlannedBatch planned = new PlannedBatch(batch.id(), batch.campaignId(), batch.index(), batch.run(),
                batch.recipients().size());

        assertThat(queue.enqueueAll(List.of(planned))).isOne();
        assertThat(queue.enqueueAll(List.of(batch))).as("the same job, whichever form named it").isZero();

        DistributionJob job = takeOne();
        assertThat(job.jobId()).isEqualTo(batch.jobId());
        assertThat(job.batchId()).isEqualTo(batch.id());
        assertNothingReady();
    }

    @Test
    void queuesABatchRunOnlyOnce() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);
        queue.enqueue(batch);

        DistributionJob job = takeOne();
        queue.enqueue(batch);
        assertNothingReady();

        queue.finish(job, new JobOutcome.Done("minted"));
        queue.enqueue(batch);
        assertNothingReady();
    }

    @Test
    void enqueuesManyBatchesInOneCallCountingOnlyNewJobs() throws Exception {
        Batch queued = batch();
        queue.enqueue(queued);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            batches.add(batch());
        }

        assertThat(queue.enqueueAll(List.of())).isZero();
        List<Batch> withRepeats = new ArrayList<>(batches);
        withRepeats.add(queued);
        withRepeats.add(batches.getFirst());
        assertThat(queue.enqueueAll(withRepeats)).as("the already queued one and the repeat add nothing").isEqualTo(1500);
        assertThat(queue.enqueueAll(batches.subList(0, 10))).isZero();

        Map<String, Integer> taken = new HashMap<>();
        Optional<DistributionJob> job;
        while ((job = queue.take(BRIEF)).isPresent()) {
            taken.merge(job.get().jobId(), 1, Integer::sum);
        }
        assertThat(taken).hasSize(1501).containsKey(queued.jobId()).allSatisfy((id, times) -> assertThat(times).isOne());
    }

    @Test
    void queuesANewRunOfTheSameBatchAsANewJob() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);
        queue.finish(takeOne(), new JobOutcome.Failed("reverted"));

        Batch retried = nextRun(batch);
        queue.enqueue(retried);

        DistributionJob job = takeOne();
        assertThat(job.jobId()).isEqualTo(retried.jobId()).isNotEqualTo(batch.jobId());
        assertThat(job.attemptsMade()).isZero();
    }

    @Test
    void sharesTheWorkersBetweenCampaignsBatchByBatch() throws Exception {
        List<Batch> a = campaign(3);
        List<Batch> b = campaign(3);
        queue.enqueueAll(a);
        // Listed out of index order: the rank comes from the index, not from the list.
        queue.enqueueAll(List.of(b.get(2), b.get(0), b.get(1)));

        assertThat(takeAndFinish(6)).as("every campaign's first batch before any campaign's second, and so on")
                .containsExactlyElementsOf(ids(a.get(0), b.get(0), a.get(1), b.get(1), a.get(2), b.get(2)));
    }

    @Test
    void startsALateCampaignBesideARunningOneNotAheadOfIt() throws Exception {
        List<Batch> a = campaign(4);
        queue.enqueueAll(a);
        assertThat(takeAndFinish(2)).containsExactlyElementsOf(ids(a.get(0), a.get(1)));

        List<Batch> b = campaign(2);
        queue.enqueueAll(b);

        // b's first batch goes next to a's next one (which of the two first depends on whether the queue fetched a's
        // ahead), and from there the two take turns: a does not wait behind all of b, nor b behind all of a.
        List<BatchId> order = takeAndFinish(4);
        Set<BatchId> ofA = Set.copyOf(ids(a.toArray(Batch[]::new)));
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(a.get(2).id(), b.get(0).id());
        for (int i = 1; i < order.size(); i++) {
            assertThat(ofA.contains(order.get(i))).as("turns alternate: %s", order)
                    .isNotEqualTo(ofA.contains(order.get(i - 1)));
        }
    }

    @Test
    void ranksADistributionEnqueuedInSeveralCallsAsIfInOne() throws Exception {
        List<Batch> a = campaign(4);
        List<Batch> b = campaign(2);
        // A large campaign is planned and enqueued slice by slice.
        queue.enqueueAll(a.subList(0, 2));
        queue.enqueueAll(a.subList(2, 4));
        queue.enqueueAll(b);

        assertThat(takeAndFinish(6)).as("a's second slice follows its first, it does not start again beside b")
                .containsExactlyElementsOf(ids(a.get(0), b.get(0), a.get(1), b.get(1), a.get(2), a.get(3)));
    }

    @Test
    void aDelayedJobComesBackWithItsPriority() throws Exception {
        List<Batch> a = campaign(2);
        List<Batch> b = campaign(2);
        queue.enqueueAll(a);
        queue.enqueueAll(b);
        DistributionJob first = takeOne();
        assertThat(first.batchId()).isEqualTo(a.get(0).id());
        queue.finish(first, new JobOutcome.Delay(Duration.ofMillis(200), "in-flight cap"));
        DistributionJob second = takeOne();
        assertThat(second.batchId()).isEqualTo(b.get(0).id());

        // Finished only after the delay is over, so a queue that fetches the next job ahead on finishing fetches a's.
        fixture.advance(Duration.ofMillis(400));
        queue.finish(second, new JobOutcome.Done("minted"));

        assertThat(takeAndFinish(3)).as("a's first batch, back from its delay, before the second batches")
                .containsExactlyElementsOf(ids(a.get(0), a.get(1), b.get(1)));
    }

    @Test
    void findsNothingInAnEmptyQueue() throws Exception {
        assertNothingReady();
    }

    @Test
    void wakesAWaitingTakerWhenAJobArrives() throws Exception {
        Batch batch = batch();
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<DistributionJob>> waiting = taker.submit(() -> queue.take(Duration.ofSeconds(10)));
            Thread.sleep(100);
            long enqueuedAt = System.nanoTime();
            queue.enqueue(batch);

            Optional<DistributionJob> job = waiting.get(10, TimeUnit.SECONDS);

            assertThat(job).map(DistributionJob::batchId).contains(batch.id());
            assertThat(Duration.ofNanos(System.nanoTime() - enqueuedAt)).isLessThan(Duration.ofSeconds(5));
        } finally {
            taker.shutdownNow();
        }
    }

    @Test
    void neverHandsOutAFinishedJobAgain() throws Exception {
        queue.enqueue(batch());
        queue.finish(takeOne(), new JobOutcome.Done("minted"));

        fixture.advance(Duration.ofSeconds(3));

        assertNothingReady();
    }

    @Test
    void delaysAJobWithoutUsingAnAttempt() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);
        queue.finish(takeOne(), new JobOutcome.Delay(Duration.ofMillis(500), "circuit breaker open"));

        assertNothingReady();
        fixture.advance(Duration.ofMillis(700));

        DistributionJob again = takeOne();
        assertThat(again.jobId()).isEqualTo(batch.jobId());
        assertThat(again.attemptsMade()).isZero();
    }

    @Test
    void retriesWithBackoffUntilTheAttemptsAreUsedUp() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);

        DistributionJob first = takeOne();
        assertThat(first.isLastAttempt()).isFalse();
        queue.finish(first, new JobOutcome.Retry("RPC timeout"));
        assertNothingReady();
        fixture.advance(SETTINGS.backoff().plusMillis(200));

        DistributionJob second = takeOne();
        assertThat(second.attemptsMade()).isEqualTo(1);
        queue.finish(second, new JobOutcome.Retry("RPC timeout"));
        fixture.advance(SETTINGS.backoff().multipliedBy(2).plusMillis(200));

        DistributionJob third = takeOne();
        assertThat(third.attemptsMade()).isEqualTo(2);
        assertThat(third.isLastAttempt()).isTrue();
        queue.finish(third, new JobOutcome.Retry("RPC timeout"));
        fixture.advance(SETTINGS.backoff().multipliedBy(8));

        assertNothingReady();
    }

    @Test
    void neverHandsOutAFailedJobAgain() throws Exception {
        queue.enqueue(batch());
        queue.finish(takeOne(), new JobOutcome.Failed("Transaction reverted: contract is paused"));

        fixture.advance(Duration.ofSeconds(3));

        assertNothingReady();
    }

    @Test
    void ensureQueuedAddsAJobForAnOpenBatchTheQueueNeverHad() throws Exception {
        Batch batch = batch();

        assertThat(queue.ensureQueued(List.of(batch))).isEqualTo(1);

        assertThat(takeOne().batchId()).isEqualTo(batch.id());
    }

    @Test
    void ensureQueuedRevivesAJobThatFailedWhileItsBatchStayedOpen() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);
        queue.finish(takeOne(), new JobOutcome.Failed("job stalled more than allowable limit"));

        assertThat(queue.ensureQueued(List.of(batch))).isEqualTo(1);

        DistributionJob again = takeOne();
        assertThat(again.batchId()).isEqualTo(batch.id());
        assertThat(again.attemptsMade()).as("a revived job starts its attempts afresh").isZero();
    }

    @Test
    void ensureQueuedLeavesLiveJobsAlone() throws Exception {
        Batch waiting = batch();
        Batch delayed = batch();
        Batch active = batch();
        queue.enqueue(active);
        DistributionJob taken = takeOne();
        queue.enqueue(delayed);
        queue.finish(takeOne(), new JobOutcome.Delay(Duration.ofSeconds(30), "fees above the ceiling"));
        queue.enqueue(waiting);

        assertThat(queue.ensureQueued(List.of(waiting, delayed, active))).isZero();

        assertThat(takeOne().batchId()).isEqualTo(waiting.id());
        assertNothingReady();
        queue.finish(taken, new JobOutcome.Done("minted"));
    }

    @Test
    void hidesATakenJobFromOtherTakers() throws Exception {
        queue.enqueue(batch());
        takeOne();

        assertNothingReady();
    }

    @Test
    void givesACrashedWorkersJobToTheNextTakerWithoutUsingAnAttempt() throws Exception {
        Batch batch = batch();
        queue.enqueue(batch);
        DistributionJob abandoned = takeOne();

        fixture.simulateWorkerCrash();
        DistributionJob recovered = takeOne();

        assertThat(recovered.jobId()).isEqualTo(batch.jobId());
        assertThat(recovered.attemptsMade()).isZero();
        assertThat(recovered.lockToken()).isNotEqualTo(abandoned.lockToken());

        // The crashed worker's late "done" must not settle the job its successor holds: if it did, the job would be gone.
        try {
            queue.finish(abandoned, new JobOutcome.Done("late"));
        } catch (RuntimeException refused) {
            // Refusing is as good as ignoring.
        }
        fixture.simulateWorkerCrash();
        assertThat(takeOne().jobId()).isEqualTo(batch.jobId());
    }

    @Test
    void handsEachJobToExactlyOneOfEightRacingWorkers() throws Exception {
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batches.add(batch());
            queue.enqueue(batches.getLast());
        }
        Map<String, Integer> takes = new ConcurrentHashMap<>();
        AtomicInteger finished = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> loops = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                loops.add(workers.submit(() -> {
                    start.await();
                    Optional<DistributionJob> job;
                    while ((job = queue.take(Duration.ofMillis(300))).isPresent()) {
                        takes.merge(job.get().jobId(), 1, Integer::sum);
                        queue.finish(job.get(), new JobOutcome.Done("ok"));
                        finished.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(takes).hasSize(40).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(takes.keySet()).containsExactlyInAnyOrderElementsOf(batches.stream().map(Batch::jobId).toList());
        assertThat(finished).hasValue(40);
    }

    @Test
    void stopsHandingOutJobsWhenClosed() throws Exception {
        queue.enqueue(batch());
        queue.close();

        long before = System.nanoTime();
        Optional<DistributionJob> job = queue.take(Duration.ofSeconds(10));

        assertThat(job).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        queue.close();
    }

    /**
     * How the contract runs the queue.
     *
     * @param maxAttempts attempts per job (the queue's {@code attempts} option)
     * @param backoff the first retry's delay; each further retry waits twice as long (exponential backoff)
     * @param lockDuration how long a taken job stays its taker's without being finished
     */
    public record QueueSettings(int maxAttempts, Duration backoff, Duration lockDuration) {
        public QueueSettings {
            Require.positive("maxAttempts", maxAttempts);
            Require.notNull("backoff", backoff);
            Require.notNull("lockDuration", lockDuration);
        }
    }

    /** A queue under test and its sense of time. Implementations need not be thread-safe beyond the queue itself. */
    public interface QueueFixture extends AutoCloseable {

        /** The queue; never null. */
        DistributionQueue queue();

        /**
         * Lets {@code duration} pass for the queue's delays, backoffs and locks: advance a controllable clock, or sleep
         * for a queue on real time.
         */
        void advance(Duration duration) throws InterruptedException;

        /**
         * Makes every job now taken look abandoned by a worker process that died: its lock lapses and the next
         * {@code take} hands the job out again. An in-memory queue advances past the lock duration; a Redis queue lets the
         * lock key expire (or deletes it) and runs its stalled-job check.
         */
        void simulateWorkerCrash() throws InterruptedException;

        /** Releases what the fixture holds (connections, the queue). */
        @Override
        void close();
    }
}
