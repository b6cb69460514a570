package dev.basenft.adapter.redis;

import dev.basenft.core.port.out.DistributionJob;
import java.time.Duration;

/**
 * A worker process for {@link WorkerKillTest}: takes one job, says so on stdout, and then "works" on it forever, renewing
 * its lock as a live worker does, until the test kills the process.
 *
 * <p>Arguments: host port database prefix lockMillis stalledIntervalMillis.
 */
public final class KilledWorkerMain {

    private KilledWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisQueueSettings settings = RedisQueueSettings.builder().host(args[0]).port(Integer.parseInt(args[1]))
                .database(Integer.parseInt(args[2])).prefix(args[3])
                .lockDuration(Duration.ofMillis(Long.parseLong(args[4])))
                .stalledInterval(Duration.ofMillis(Long.parseLong(args[5]))).build();
        RedisDistributionQueue queue = RedisDistributionQueue.open(settings);
        DistributionJob job = queue.take(Duration.ofSeconds(30)).orElseThrow();
        System.out.println("TOOK " + job.jobId());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5));
    }
}
