package dev.basenft.adapter.redis;

import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.testing.contract.DistributionQueueContract;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Core's queue contract on a real Redis. Time is real: {@code advance} sleeps. A worker crash is what the stalled check
 * sees after a worker dies: the job's lock is gone, and two checks later the job is back in {@code wait}.
 */
class RedisDistributionQueueContractTest extends DistributionQueueContract {

    @Override
    protected QueueFixture newQueue(QueueSettings contract) {
        RedisQueueSettings settings = TestRedis.fresh()
                .attempts(contract.maxAttempts())
                .backoff(Backoff.exponential(contract.backoff()))
                .lockDuration(contract.lockDuration())
                // Long, so only the fixture's own checks run and each test sees the two passes it asks for.
                .stalledInterval(Duration.ofMinutes(1))
                // The contract crashes a job's worker twice and expects it back both times; BullMQ's default of failing a
                // job on its second stall (maxStalledCount 1) is a policy of its own, tested in RedisDistributionQueueTest.
                .maxStalledCount(5)
                .build();
        RedisDistributionQueue queue = RedisDistributionQueue.open(settings);
        return new QueueFixture() {
            @Override
            public DistributionQueue queue() {
                return queue;
            }

            @Override
            public void advance(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }

            @Override
            public void simulateWorkerCrash() {
                try (Jedis redis = TestRedis.connect(settings)) {
                    List<String> active = redis.lrange(settings.keyPrefix() + "active", 0, -1);
                    for (String jobId : active) {
                        redis.del(settings.keyPrefix() + jobId + ":lock");
                    }
                }
                queue.checkStalled(true);
                queue.checkStalled(true);
            }

            @Override
            public void close() {
                queue.close();
                TestRedis.deleteKeys(settings);
            }
        };
    }
}
