package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.port.in.ProcessBatchUseCase;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.service.DistributionWorker;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.InMemoryStorage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Interop both ways with the real npm bullmq (6.7.0, and 5.81.5) on one Redis, driven through
 * {@code src/test/node/interop.mjs}.
 */
class BullmqInteropTest {

    private final List<RedisDistributionQueue> queues = new ArrayList<>();
    private final List<RedisQueueSettings> used = new ArrayList<>();

    private RedisDistributionQueue open(RedisQueueSettings settings) {
        TestRedis.deleteKeys(settings);
        used.add(settings);
        RedisDistributionQueue queue = RedisDistributionQueue.open(settings);
        queues.add(queue);
        return queue;
    }

    @AfterEach
    void cleanUp() {
        queues.forEach(RedisDistributionQueue::close);
        used.forEach(TestRedis::deleteKeys);
    }

    /** The Node worker's output lines of {@code event} for {@code jobId}, in order. */
    private static List<String> lines(List<String> output, String event, String jobId) {
        return output.stream()
                .filter(l -> event.equals(NodeBullmq.field(l, "event")) && jobId.equals(NodeBullmq.field(l, "id")))
                .toList();
    }

    @ParameterizedTest(name = "bullmq {0}.x worker")
    @ValueSource(strings = {"6", "5"})
    void javaAddedJobsArePlainDelayedAndRetriedByANodeWorker(String major) throws Exception {
        RedisDistributionQueue queue = open(TestRedis.fresh().backoff(Backoff.fixed(Duration.ofMillis(700))).build());
        NodeBullmq node = new NodeBullmq(queue.settings(), major);
        Batch plain = Batches.batch();
        Batch delayed = Batches.batch();
        Batch failsOnce = Batches.batch();
        NodeBullmq.Running worker = node.start("work", "{\"expect\":3,\"timeoutMs\":30000,\"failOnce\":[\""
                + failsOnce.jobId() + "\"]}");
        // Let the Node worker go idle on the marker, so the adds below must wake it.
        Thread.sleep(1500);

        long addedAt = System.currentTimeMillis();
        queue.enqueue(plain);
        queue.enqueue(delayed, Duration.ofMillis(1500));
        queue.enqueue(failsOnce);
        List<String> output = worker.await(60);

        assertThat(output).noneMatch(l -> l.contains("\"event\":\"timeout\""));
        List<String> plainRuns = lines(output, "processing", plain.jobId());
        assertThat(plainRuns).singleElement().satisfies(l -> {
            assertThat(l).contains("\"batchId\":\"" + plain.id() + "\"").contains("\"name\":\"distribute\"");
            assertThat(NodeBullmq.number(l, "attemptsMade")).isZero();
            // Woken by our marker, not by its 5 s drain timeout.
            assertThat(NodeBullmq.number(l, "at") - addedAt).isLessThan(2500);
        });
        assertThat(lines(output, "processing", delayed.jobId())).singleElement()
                .satisfies(l -> assertThat(NodeBullmq.number(l, "at") - addedAt).isBetween(1450L, 6000L));
        List<String> retried = lines(output, "processing", failsOnce.jobId());
        assertThat(retried).hasSize(2);
        assertThat(NodeBullmq.number(retried.get(0), "attemptsMade")).isZero();
        assertThat(NodeBullmq.number(retried.get(1), "attemptsMade")).isEqualTo(1);
        assertThat(NodeBullmq.number(retried.get(1), "at") - NodeBullmq.number(retried.get(0), "at"))
                .as("the backoff our options asked for").isGreaterThanOrEqualTo(650);

        RedisQueueSettings s = queue.settings();
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.zrange(s.keyPrefix() + "completed", 0, -1))
                    .containsExactlyInAnyOrder(plain.jobId(), delayed.jobId(), failsOnce.jobId());
            assertThat(redis.hget(s.keyPrefix() + failsOnce.jobId(), "atm")).isEqualTo("2");
            assertThat(redis.hget(s.keyPrefix() + plain.jobId(), "returnvalue")).contains("node-bullmq-" + major);
        }
        assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 0, 0, 3, 0, false));
    }

    @ParameterizedTest(name = "bullmq {0}.x getWorkers")
    @ValueSource(strings = {"6", "5"})
    void nodesGetWorkersListsEachJavaWorkerProcessAndNotAProducer(String major) throws Exception {
        RedisQueueSettings base = TestRedis.fresh().drainDelay(Duration.ofMillis(500)).build();
        RedisDistributionQueue producer = open(base);
        NodeBullmq node = new NodeBullmq(producer.settings(), major);
        List<DistributionWorker> workers = new ArrayList<>();
        for (String name : List.of("worker-a", "worker b")) {
            RedisDistributionQueue queue = RedisDistributionQueue.open(TestRedis.fresh().prefix(base.prefix())
                    .drainDelay(Duration.ofMillis(500)).workerName(name).build());
            queues.add(queue);
            ProcessBatchUseCase idle = command -> new BatchOutcome.AlreadyCompleted(command.batchId());
            DistributionWorker worker = new DistributionWorker(queue, idle,
                    new InMemoryStorage(InstantSource.system()).ledger(), new FakeChain(), 1);
            worker.start();
            workers.add(worker);
        }
        try {
            String line = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                line = node.run("workers", "{}").getFirst();
                if (NodeBullmq.number(line, "count") == 2) {
                    break;
                }
                Thread.sleep(200);
            }
            // Two worker processes, named as bullmq names its own; the producer (the server's queue) is no worker.
            assertThat(NodeBullmq.number(line, "count")).as(line).isEqualTo(2);
            assertThat(line).contains(":w:worker-a", ":w:worker_b");
            assertThat(producer.workers()).as("what doctor lists, as Node does").containsExactly("worker-a", "worker_b");
        } finally {
            for (DistributionWorker worker : workers) {
                assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "bullmq {0}.x producer")
    @ValueSource(strings = {"6", "5"})
    void aNodeAddedJobIsProcessedByTheJavaWorkerWithTheJobsOwnRetryOptions(String major) throws Exception {
        RedisDistributionQueue queue = open(TestRedis.fresh().drainDelay(Duration.ofMillis(500)).build());
        NodeBullmq node = new NodeBullmq(queue.settings(), major);
        Batch batch = Batches.batch();
        node.run("add", "{\"jobs\":[{\"name\":\"distribute\",\"data\":{\"batchId\":\"" + batch.id() + "\"},"
                + "\"opts\":{\"jobId\":\"" + batch.jobId() + "\",\"attempts\":2,\"backoff\":{\"type\":\"fixed\",\"delay\":300}}}]}");

        List<ProcessBatchCommand> seen = new CopyOnWriteArrayList<>();
        ProcessBatchUseCase processor = command -> {
            seen.add(command);
            return command.attemptsMade() == 0 ? new BatchOutcome.RetryLater(command.batchId(), "RPC timeout")
                    : new BatchOutcome.AlreadyCompleted(command.batchId());
        };
        FakeChain chain = new FakeChain();
        DistributionWorker worker = new DistributionWorker(queue, processor,
                new InMemoryStorage(InstantSource.system()).ledger(), chain, 2);
        worker.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (queue.counts().completed() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
        }

        assertThat(seen).containsExactly(new ProcessBatchCommand(batch.id(), 0, 2), new ProcessBatchCommand(batch.id(), 1, 2));
        List<String> counts = node.run("counts", "{}");
        assertThat(counts).singleElement().satisfies(l -> {
            assertThat(NodeBullmq.number(l, "completed")).isEqualTo(1);
            assertThat(NodeBullmq.number(l, "wait")).isZero();
            assertThat(NodeBullmq.number(l, "active")).isZero();
        });
        RedisQueueSettings s = queue.settings();
        try (Jedis redis = TestRedis.connect(s)) {
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "atm")).isEqualTo("2");
            assertThat(redis.hget(s.keyPrefix() + batch.jobId(), "returnvalue")).isEqualTo("\"already completed\"");
        }
    }

    @Test
    void zcardOfPrioritizedAndLlenOfActiveShowTheRunAsTheRunbookSays() throws Exception {
        // The runbook's literal keys, bull:distribution:*, in a database of their own on the shared test Redis.
        RedisQueueSettings base = TestRedis.base();
        RedisQueueSettings settings = base.toBuilder().database(base.database() == 0 ? 12 : base.database())
                .prefix("bull").queueName("distribution").build();
        RedisDistributionQueue queue = open(settings);
        queue.enqueueAll(Batches.batches(5));

        try (Jedis redis = TestRedis.connect(settings)) {
            assertThat(redis.zcard("bull:distribution:prioritized")).isEqualTo(5);
            assertThat(redis.llen("bull:distribution:active")).isZero();

            NodeBullmq.Running nodeWorker = new NodeBullmq(settings, "6").start("work",
                    "{\"expect\":4,\"concurrency\":2,\"holdMs\":1500,\"timeoutMs\":30000}");
            assertThat(nodeWorker.awaitLine("processing", 20)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (nodeWorker.lines().stream().filter(l -> l.contains("\"processing\"")).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(redis.zcard("bull:distribution:prioritized")).isEqualTo(3);
            assertThat(redis.llen("bull:distribution:active")).isEqualTo(2);

            DistributionJob javaJob = queue.take(Duration.ofSeconds(2)).orElseThrow();
            assertThat(redis.zcard("bull:distribution:prioritized")).isEqualTo(2);
            assertThat(redis.llen("bull:distribution:active")).isEqualTo(3);
            queue.finish(javaJob, new JobOutcome.Done("minted"));
            // That finish took the next job ahead for this instance (fetchNext); closing gives it back for Node to run.
            queue.close();

            nodeWorker.await(60);
            assertThat(redis.zcard("bull:distribution:prioritized")).isZero();
            assertThat(redis.llen("bull:distribution:active")).isZero();
            assertThat(redis.zcard("bull:distribution:completed")).isEqualTo(5);
        }
    }

    @ParameterizedTest(name = "bullmq {0}.x")
    @ValueSource(strings = {"6", "5"})
    void nodeAndJavaPrioritizedJobsAreTakenInOneOrderByNodeAndByJava(String major) throws Exception {
        RedisDistributionQueue queue = open(TestRedis.fresh().drainDelay(Duration.ofMillis(500)).build());
        NodeBullmq node = new NodeBullmq(queue.settings(), major);
        List<Batch> a = Batches.campaign(2);
        List<Batch> b = Batches.campaign(2);
        Batch fromNode = Batches.batch();
        // Java gives a's batches priorities 1 and 2; Node's job asks for 1 and comes after a's first by the shared `pc`
        // counter; b's, added last, are 1 and 2 again.
        queue.enqueueAll(a);
        node.run("add", "{\"jobs\":[{\"name\":\"distribute\",\"data\":{\"batchId\":\"" + fromNode.id() + "\"},"
                + "\"opts\":{\"jobId\":\"" + fromNode.jobId() + "\",\"priority\":1}}]}");
        queue.enqueueAll(b);
        List<String> expected = List.of(a.get(0).jobId(), fromNode.jobId(), b.get(0).jobId(), a.get(1).jobId(),
                b.get(1).jobId());

        // Java's takes, all held at once, in one order...
        List<String> byJava = new ArrayList<>();
        List<DistributionJob> held = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            held.add(queue.take(Duration.ofSeconds(5)).orElseThrow());
        }
        held.forEach(job -> byJava.add(job.jobId()));
        assertThat(byJava).containsExactlyElementsOf(expected);
        queue.close();

        // ...and the same jobs, set up again, in the same order by a Node worker.
        RedisDistributionQueue again = open(TestRedis.fresh().drainDelay(Duration.ofMillis(500)).build());
        NodeBullmq nodeAgain = new NodeBullmq(again.settings(), major);
        again.enqueueAll(a);
        nodeAgain.run("add", "{\"jobs\":[{\"name\":\"distribute\",\"data\":{\"batchId\":\"" + fromNode.id()
                + "\"},\"opts\":{\"jobId\":\"" + fromNode.jobId() + "\",\"priority\":1}}]}");
        again.enqueueAll(b);
        List<String> output = nodeAgain.start("work", "{\"expect\":5,\"timeoutMs\":30000}").await(60);
        List<String> byNode = output.stream().filter(l -> "processing".equals(NodeBullmq.field(l, "event")))
                .map(l -> NodeBullmq.field(l, "id")).toList();
        assertThat(byNode).containsExactlyElementsOf(expected);
    }
}
