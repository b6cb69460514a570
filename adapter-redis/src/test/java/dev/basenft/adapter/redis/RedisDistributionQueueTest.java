package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Batch;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** The queue on a real Redis, checked against BullMQ's layout key by key. */
class RedisDistributionQueueTest {

    private final List<RedisDistributionQueue> queues = new ArrayList<>();
    private final List<RedisQueueSettings> used = new ArrayList<>();

    private RedisDistributionQueue open(RedisQueueSettings settings) {
        used.add(settings);
        RedisDistributionQueue queue = RedisDistributionQueue.open(settings);
        queues.add(queue);
        return queue;
    }

    private RedisDistributionQueue open() {
        return open(TestRedis.fresh().lockDuration(Duration.ofSeconds(2)).stalledInterval(Duration.ofSeconds(30))
                .backoff(Backoff.fixed(Duration.ofMillis(200))).build());
    }

    @AfterEach
    void cleanUp() {
        queues.forEach(RedisDistributionQueue::close);
        used.forEach(TestRedis::deleteKeys);
    }

    private static DistributionJob take(RedisDistributionQueue queue) throws InterruptedException {
        Optional<DistributionJob> job = queue.take(Duration.ofSeconds(5));
        assertThat(job).as("a job should be ready").isPresent();
        return job.get();
    }

    private static List<String> events(Jedis redis, RedisQueueSettings s) {
        return redis.xrange(s.keyPrefix() + "events", (StreamEntryID) null, (StreamEntryID) null).stream()
                .map(StreamEntry::getFields).map(f -> f.get("event") + (f.containsKey("jobId") ? ":" + f.get("jobId") : ""))
                .toList();
    }

    @Test
    void addsAJobAsBullMqWould() {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        Batch batch = Batches.batch();

        queue.enqueue(batch);

        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zrange(s.keyPrefix() + "prioritized", 0, -1)).containsExactly(batch.jobId());
            Map<String, String> hash = redis.hgetAll(s.keyPrefix() + batch.jobId());
            assertThat(hash).containsEntry("name", "distribute").containsEntry("delay", "0")
                    .containsEntry("priority", "1").containsKey("timestamp");
            assertThat(hash.get("data")).isEqualTo("{\"batchId\":\"" + batch.id() + "\",\"campaignId\":\""
                    + batch.campaignId() + "\",\"index\":0,\"run\":0}");
            assertThat(hash.get("opts")).isEqualTo("{\"attempts\":3,\"backoff\":{\"type\":\"fixed\",\"delay\":200},"
                    + "\"removeOnComplete\":10000,\"removeOnFail\":10000,\"jobId\":\"" + batch.jobId() + "\",\"priority\":1}");
            assertThat(redis.zrangeWithScores(s.keyPrefix() + "marker", 0, -1)).singleElement()
                    .satisfies(t -> assertThat(t.getElement()).isEqualTo("0"));
            assertThat(events(redis, s)).containsExactly("added:" + batch.jobId(), "waiting:" + batch.jobId());
            assertThat(redis.hget(s.keyPrefix() + "meta", "opts.maxLenEvents")).isEqualTo("10000");
        }
    }

    @Test
    void ignoresASecondAddOfTheSameJobAndSaysSoInTheEvents() {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        Batch batch = Batches.batch();

        queue.enqueue(batch);
        assertThat(queue.enqueue(batch, Duration.ofSeconds(10))).isFalse();
        assertThat(queue.enqueueAll(List.of(batch, batch))).isZero();

        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zcard(s.keyPrefix() + "prioritized")).isEqualTo(1);
            assertThat(redis.zcard(s.keyPrefix() + "delayed")).isZero();
            assertThat(events(redis, s)).filteredOn(e -> e.startsWith("duplicated:")).hasSize(3);
        }
    }

    @Test
    void addsInBulk() {
        RedisDistributionQueue queue = open();
        List<Batch> batches = Batches.batches(2500);

        long pipelines = queue.addPipelinesSent();

        assertThat(queue.enqueueAll(batches)).isEqualTo(2500);

        assertThat(queue.addPipelinesSent() - pipelines).as("three scripts, one round trip").isOne();
        assertThat(queue.counts().prioritized()).isEqualTo(2500);
        assertThat(queue.enqueueAll(batches.subList(0, 10))).isZero();
        assertThat(queue.addPipelinesSent() - pipelines).isEqualTo(2);
    }

    @Test
    void addsInBulkAfterRedisForgotItsScripts() {
        RedisDistributionQueue queue = open();
        queue.enqueue(Batches.batch());
        // Every script run of the pipeline is refused with NOSCRIPT, then sent in full.
        try (Jedis redis = TestRedis.connect(queue.settings())) {
            redis.scriptFlush();
        }

        assertThat(queue.enqueueAll(Batches.batches(1200))).isEqualTo(1200);

        assertThat(queue.counts().prioritized()).isEqualTo(1201);
    }

    @Test
    void takesInOrderAndLocksTheJob() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        Batch first = Batches.batch();
        Batch second = Batches.batch();
        queue.enqueue(first);
        queue.enqueue(second);

        DistributionJob job = take(queue);

        assertThat(job.jobId()).isEqualTo(first.jobId());
        assertThat(job.batchId()).isEqualTo(first.id());
        assertThat(job.attemptsMade()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(3);
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.get(s.keyPrefix() + first.jobId() + ":lock")).isEqualTo(job.lockToken());
            assertThat(redis.pttl(s.keyPrefix() + first.jobId() + ":lock")).isBetween(1L, 2000L);
            assertThat(redis.hget(s.keyPrefix() + first.jobId(), "ats")).isEqualTo("1");
            assertThat(redis.hget(s.keyPrefix() + first.jobId(), "processedOn")).isNotNull();
            assertThat(redis.lrange(s.keyPrefix() + "active", 0, -1)).containsExactly(first.jobId());
            assertThat(redis.zrange(s.keyPrefix() + "prioritized", 0, -1)).containsExactly(second.jobId());
            assertThat(events(redis, s)).contains("active:" + first.jobId());
        }
    }

    @Test
    void completesAndKeepsOnlyTheNewestFinishedJobs() throws Exception {
        RedisDistributionQueue queue = open(TestRedis.fresh().keepCompleted(2).build());
        RedisQueueSettings s = queue.settings();
        List<Batch> batches = Batches.batches(4);
        queue.enqueueAll(batches);

        for (int i = 0; i < 4; i++) {
            queue.finish(take(queue), new JobOutcome.Done("minted"));
            // Finished jobs are ordered by finish time in milliseconds, as in BullMQ: keep them apart.
            Thread.sleep(3);
        }

        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zrange(s.keyPrefix() + "completed", 0, -1))
                    .containsExactly(batches.get(2).jobId(), batches.get(3).jobId());
            assertThat(redis.exists(s.keyPrefix() + batches.get(0).jobId())).isFalse();
            Map<String, String> last = redis.hgetAll(s.keyPrefix() + batches.get(3).jobId());
            assertThat(last).containsEntry("returnvalue", "\"minted\"").containsEntry("atm", "1").containsKey("finishedOn");
            assertThat(redis.exists(s.keyPrefix() + batches.get(3).jobId() + ":lock")).isFalse();
            assertThat(redis.llen(s.keyPrefix() + "active")).isZero();
            assertThat(events(redis, s)).contains("completed:" + batches.get(3).jobId()).endsWith("drained");
        }
    }

    @Test
    void retriesWithBackoffCountingAttemptsThenFails() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        Batch batch = Batches.batch();
        queue.enqueue(batch);

        queue.finish(take(queue), new JobOutcome.Retry("RPC timeout"));
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zcard(s.keyPrefix() + "delayed")).isEqualTo(1);
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "atm")).isEqualTo("1");
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "failedReason")).isEqualTo("RPC timeout");
        }
        assertThat(queue.take(Duration.ofMillis(50))).isEmpty();

        DistributionJob second = take(queue);
        assertThat(second.attemptsMade()).isEqualTo(1);
        queue.finish(second, new JobOutcome.Retry("RPC timeout"));
        DistributionJob third = take(queue);
        assertThat(third.attemptsMade()).isEqualTo(2);
        assertThat(third.isLastAttempt()).isTrue();
        queue.finish(third, new JobOutcome.Retry("RPC timeout again"));

        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zrange(s.keyPrefix() + "failed", 0, -1)).containsExactly(batch.jobId());
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "atm")).isEqualTo("3");
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "failedReason")).isEqualTo("RPC timeout again");
            assertThat(events(redis, s)).contains("retries-exhausted:" + batch.jobId(), "failed:" + batch.jobId());
        }
        assertThat(queue.take(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void delaysWithoutUsingAnAttempt() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        Batch batch = Batches.batch();
        queue.enqueue(batch);

        queue.finish(take(queue), new JobOutcome.Delay(Duration.ofMillis(600), "circuit breaker open"));

        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "atm")).isNull();
            assertThat(redis.zrangeWithScores(s.keyPrefix() + "marker", 0, -1))
                    .anySatisfy(t -> assertThat(t.getElement()).isEqualTo("1"));
        }
        assertThat(queue.take(Duration.ofMillis(200))).isEmpty();
        long before = System.nanoTime();
        DistributionJob again = take(queue);
        assertThat(again.attemptsMade()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void addsDelayedJobsThatWakeASleepingTakerWhenDue() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        Batch batch = Batches.batch();
        long start = System.nanoTime();

        assertThat(queue.enqueue(batch, Duration.ofMillis(700))).isTrue();

        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zrange(s.keyPrefix() + "delayed", 0, -1)).containsExactly(batch.jobId());
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "delay")).isEqualTo("700");
        }
        DistributionJob job = take(queue);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(job.jobId()).isEqualTo(batch.jobId());
        assertThat(waited).isBetween(650L, 2000L);
    }

    @Test
    void renewsTheLockOfARunningJob() throws Exception {
        RedisDistributionQueue queue = open(TestRedis.fresh().lockDuration(Duration.ofMillis(400))
                .stalledInterval(Duration.ofMillis(200)).build());
        queue.enqueue(Batches.batch());
        DistributionJob job = take(queue);

        Thread.sleep(1500);

        queue.finish(job, new JobOutcome.Done("slow but alive"));
        assertThat(queue.counts().completed()).isEqualTo(1);
    }

    @Test
    void refusesToSettleAJobWhoseLockWasLost() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        queue.enqueue(Batches.batch());
        DistributionJob job = take(queue);
        try (Jedis redis = TestRedis.connect(s)) {
            redis.set(s.keyPrefix() + job.jobId() + ":lock", "someone-else");
        }

        assertThatThrownBy(() -> queue.finish(job, new JobOutcome.Done("late"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held by another worker");
        assertThat(queue.counts().active()).isEqualTo(1);
    }

    @Test
    void recoversAnAbandonedJobInTwoStalledChecks() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        queue.enqueue(Batches.batch());
        DistributionJob abandoned = take(queue);
        // First pass: the job is locked, so it only becomes a suspect.
        assertThat(queue.checkStalled(true)).isEmpty();
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.smembers(s.keyPrefix() + "stalled")).containsExactly(abandoned.jobId());
            // Its worker dies: no more renewals, and the lock lapses.
            redis.del(s.keyPrefix() + abandoned.jobId() + ":lock");
        }

        assertThat(queue.checkStalled(true)).containsExactly(abandoned.jobId());

        DistributionJob again = take(queue);
        assertThat(again.jobId()).isEqualTo(abandoned.jobId());
        assertThat(again.attemptsMade()).isZero();
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.hget(s.keyPrefix() + again.jobId(), "stc")).isEqualTo("1");
            assertThat(events(redis, s)).contains("stalled:" + again.jobId());
        }
    }

    @Test
    void failsAJobThatStalledTooOftenWithoutRunningIt() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        queue.enqueue(Batches.batch());
        String jobId = null;
        for (int stall = 0; stall < 2; stall++) {
            DistributionJob job = take(queue);
            jobId = job.jobId();
            try (Jedis redis = TestRedis.connect(s)) {
                redis.del(s.keyPrefix() + jobId + ":lock");
            }
            queue.checkStalled(true);
            queue.checkStalled(true);
        }

        assertThat(queue.take(Duration.ofMillis(300))).isEmpty();
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zrange(s.keyPrefix() + "failed", 0, -1)).containsExactly(jobId);
            assertThat(redis.hget(s.keyPrefix() + jobId, "failedReason")).isEqualTo("job stalled more than allowable limit");
        }
    }

    @Test
    void failsAJobWhoseDataHasNoBatchId() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        try (Jedis redis = TestRedis.connect(s)) {
            redis.hset(s.keyPrefix() + "odd", Map.of("name", "distribute", "data", "{\"batch\":1}", "opts", "{}",
                    "timestamp", "1", "delay", "0", "priority", "0"));
            redis.lpush(s.keyPrefix() + "wait", "odd");
        }

        assertThat(queue.take(Duration.ofMillis(300))).isEmpty();
        assertThat(queue.counts().failed()).isEqualTo(1);
    }

    @Test
    void pausesAndResumesForEveryWorker() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        queue.pause();
        queue.enqueue(Batches.batch());

        assertThat(queue.take(Duration.ofMillis(300))).isEmpty();
        assertThat(queue.counts()).satisfies(c -> {
            assertThat(c.paused()).isTrue();
            assertThat(c.prioritized()).isEqualTo(1);
        });
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.exists(s.keyPrefix() + "marker")).isFalse();
        }

        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<DistributionJob>> waiting = taker.submit(() -> queue.take(Duration.ofSeconds(10)));
            Thread.sleep(200);
            queue.resume();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isPresent();
        } finally {
            taker.shutdownNow();
        }
        assertThat(queue.counts().paused()).isFalse();
    }

    @Test
    void countsEveryState() throws Exception {
        RedisDistributionQueue queue = open();
        queue.enqueueAll(Batches.batches(3));
        queue.enqueue(Batches.batch(), Duration.ofMinutes(5));
        queue.finish(take(queue), new JobOutcome.Done("ok"));
        queue.finish(take(queue), new JobOutcome.Failed("reverted"));
        take(queue);

        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 1, 1, 0, 1, 1, false));
    }

    @Test
    void closeWakesABlockedTakerAndStillLetsHeldJobsFinish() throws Exception {
        RedisDistributionQueue queue = open();
        queue.enqueue(Batches.batch());
        DistributionJob held = take(queue);
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<DistributionJob>> waiting = taker.submit(() -> queue.take(Duration.ofSeconds(30)));
            Thread.sleep(300);
            long before = System.nanoTime();

            queue.close();

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        } finally {
            taker.shutdownNow();
        }
        queue.finish(held, new JobOutcome.Done("finished after close"));
        assertThatThrownBy(() -> queue.enqueue(Batches.batch())).isInstanceOf(IllegalStateException.class);
        try (Jedis redis = TestRedis.connect(queue.settings())) {
            assertThat(redis.zcard(queue.settings().keyPrefix() + "completed")).isEqualTo(1);
        }
    }

    @Test
    void finishingTakesTheNextJobAheadAndClosingGivesItBack() throws Exception {
        RedisDistributionQueue queue = open();
        RedisQueueSettings s = queue.settings();
        List<Batch> batches = Batches.batches(2);
        queue.enqueueAll(batches);

        queue.finish(take(queue), new JobOutcome.Done("minted"));

        try (Jedis redis = TestRedis.connect(s)) {
            String next = s.keyPrefix() + batches.get(1).jobId();
            assertThat(redis.lrange(s.keyPrefix() + "active", 0, -1)).containsExactly(batches.get(1).jobId());
            assertThat(redis.exists(next + ":lock")).isTrue();

            queue.close();

            assertThat(redis.lrange(s.keyPrefix() + "wait", 0, -1)).containsExactly(batches.get(1).jobId());
            assertThat(redis.llen(s.keyPrefix() + "active")).isZero();
            assertThat(redis.exists(next + ":lock")).isFalse();
            assertThat(redis.hget(next, "ats")).isEqualTo("0");
        }
    }

    @Test
    void withoutFetchNextFinishingLeavesTheNextJobWaiting() throws Exception {
        RedisDistributionQueue queue = open(TestRedis.fresh().fetchNext(false).build());
        queue.enqueueAll(Batches.batches(2));

        queue.finish(take(queue), new JobOutcome.Done("minted"));

        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 0, 1, 1, 0, false));
    }

    @Test
    void refusesNullsNamingTheParameter() {
        RedisDistributionQueue queue = open();
        assertThatThrownBy(() -> queue.enqueue(null)).hasMessageContaining("batch");
        assertThatThrownBy(() -> queue.enqueueAll(null)).hasMessageContaining("batches");
        assertThatThrownBy(() -> queue.take(null)).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> queue.enqueue(Batches.batch(), Duration.ofMillis(-1))).hasMessageContaining("delay");
    }
}
