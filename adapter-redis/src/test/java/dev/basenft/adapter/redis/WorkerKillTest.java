package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A worker process is killed (SIGKILL) in the middle of a job: no finish, no more lock renewals. Another worker gets the
 * job within two stalled intervals, without it using an attempt.
 */
class WorkerKillTest {

    private static final Duration LOCK = Duration.ofMillis(1500);
    private static final Duration STALLED_INTERVAL = Duration.ofMillis(1500);

    private RedisQueueSettings settings;
    private RedisDistributionQueue survivor;
    private Process victim;

    @AfterEach
    void cleanUp() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        if (survivor != null) {
            survivor.close();
        }
        TestRedis.deleteKeys(settings);
    }

    @Test
    void aKilledWorkersJobRunsAgainWithinTwoStalledIntervals() throws Exception {
        settings = TestRedis.fresh().lockDuration(LOCK).stalledInterval(STALLED_INTERVAL).build();
        Batch batch = Batches.batch();
        try (RedisDistributionQueue producer = RedisDistributionQueue.open(settings)) {
            producer.enqueue(batch);
        }

        victim = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), KilledWorkerMain.class.getName(),
                settings.host(), Integer.toString(settings.port()), Integer.toString(settings.database()),
                settings.prefix(), Long.toString(LOCK.toMillis()), Long.toString(STALLED_INTERVAL.toMillis()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("TOOK " + batch.jobId());

        survivor = RedisDistributionQueue.open(settings);
        // While the victim lives, it renews its lock: nobody else gets the job, across several stalled intervals.
        assertThat(survivor.take(LOCK.multipliedBy(3))).isEmpty();
        try (Jedis redis = TestRedis.connect(settings)) {
            assertThat(redis.exists(settings.keyPrefix() + batch.jobId() + ":lock")).isTrue();
        }

        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killedAt = System.nanoTime();
        Optional<DistributionJob> again = survivor.take(Duration.ofSeconds(15));
        Duration recoveredAfter = Duration.ofNanos(System.nanoTime() - killedAt);

        System.out.println("WorkerKillTest: job back after " + recoveredAfter.toMillis() + " ms (stalled interval "
                + STALLED_INTERVAL.toMillis() + " ms)");
        assertThat(again).map(DistributionJob::jobId).contains(batch.jobId());
        assertThat(again.get().attemptsMade()).isZero();
        // Two intervals, plus a little for scheduling on a busy machine.
        assertThat(recoveredAfter).isLessThan(STALLED_INTERVAL.multipliedBy(2).plusMillis(700));
        survivor.finish(again.get(), new JobOutcome.Done("minted by the survivor"));
        assertThat(survivor.counts().completed()).isEqualTo(1);
    }
}
