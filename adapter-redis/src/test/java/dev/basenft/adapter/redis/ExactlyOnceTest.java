package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many workers, in several queue instances as in several processes, race for the same jobs: each runs exactly once. */
class ExactlyOnceTest {

    private static final int INSTANCES = 3;
    private static final int THREADS_PER_INSTANCE = 8;
    private static final int JOBS = 600;

    private final List<RedisDistributionQueue> queues = new ArrayList<>();
    private RedisQueueSettings settings;

    @AfterEach
    void cleanUp() {
        queues.forEach(RedisDistributionQueue::close);
        TestRedis.deleteKeys(settings);
    }

    @Test
    void everyJobRunsExactlyOnceAcrossConcurrentWorkers() throws Exception {
        settings = TestRedis.fresh().concurrency(THREADS_PER_INSTANCE).drainDelay(Duration.ofMillis(200)).build();
        for (int i = 0; i < INSTANCES; i++) {
            queues.add(RedisDistributionQueue.open(settings));
        }
        List<Batch> batches = Batches.batches(JOBS);
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        Map<String, String> runBy = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE);
        CountDownLatch ready = new CountDownLatch(INSTANCES * THREADS_PER_INSTANCE);
        List<Future<?>> loops = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                RedisDistributionQueue queue = queues.get(i);
                String instance = "instance-" + i;
                for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                    loops.add(pool.submit(() -> {
                        ready.countDown();
                        // Work until the queue has been empty for a while: takers block on the marker meanwhile.
                        Optional<DistributionJob> job;
                        while ((job = queue.take(Duration.ofSeconds(2))).isPresent()) {
                            runs.merge(job.get().jobId(), 1, Integer::sum);
                            runBy.put(job.get().jobId(), instance);
                            queue.finish(job.get(), new JobOutcome.Done("ok"));
                        }
                        return null;
                    }));
                }
            }
            // Every worker is idle and blocked before the jobs arrive, so the adds' markers must wake them.
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            queues.getFirst().enqueueAll(batches.subList(0, JOBS / 2));
            for (Batch batch : batches.subList(JOBS / 2, JOBS)) {
                queues.getLast().enqueue(batch);
            }
            for (Future<?> loop : loops) {
                loop.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(runs).hasSize(JOBS).allSatisfy((jobId, count) -> assertThat(count).as(jobId).isEqualTo(1));
        assertThat(runBy.values()).as("every instance took a share").containsAll(List.of("instance-0", "instance-1", "instance-2"));
        assertThat(queues.getFirst().counts()).isEqualTo(new QueueCounts(0, 0, 0, 0, JOBS, 0, false));
    }
}
