package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.embedded.RedisServer;

/**
 * Redis dies (SIGKILL) in the middle of a run and comes back on the same port: the workers reconnect and carry on. On a
 * Redis of our own (the installed {@code redis-server}, else the binary inside embedded-redis), on a random port.
 */
class RedisRestartTest {

    /** Jedis has no method for DEBUG; the test server enables it with --enable-debug-command. */
    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);

    private Path dir;
    private int port;
    private Process redis;

    @BeforeEach
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("redis-restart-test");
        port = TestRedis.freePort();
    }

    @AfterEach
    void stop() throws IOException {
        if (redis != null) {
            redis.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void startRedis(String... persistence) throws Exception {
        List<String> command = new ArrayList<>(List.of(redisServer(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", ""));
        command.addAll(List.of(persistence));
        redis = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
                if ("PONG".equals(jedis.ping()) && jedis.info("persistence").contains("loading:0")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"));
    }

    /** Starts Redis and returns while it is still loading its data, failing the test if it has loaded already. */
    private void startRedisStillLoading(String... persistence) throws Exception {
        List<String> command = new ArrayList<>(List.of(redisServer(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", ""));
        command.addAll(List.of(persistence));
        redis = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis-2.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
                // INFO is one of the few commands Redis answers while loading.
                assertThat(jedis.info("persistence")).as("Redis must still be loading for this test to mean anything")
                        .contains("loading:1");
                return;
            } catch (JedisConnectionException notYet) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis-2.log"));
    }

    private void killRedis() throws InterruptedException {
        redis.destroyForcibly();
        assertThat(redis.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The version of {@link #redisServer()}, such as {@code 7.0.15}. */
    private static String redisVersion() throws IOException, InterruptedException {
        Process version = new ProcessBuilder(redisServer(), "--version").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("v=(\\S+)").matcher(out);
        assertThat(m.find()).as("redis-server --version said: %s", out).isTrue();
        return m.group(1);
    }

    private static String redisServer() throws IOException {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        // The binary embedded-redis ships and extracts; its first command-line word.
        return RedisServer.newRedisServer().port(6379).buildCommandArgs().getFirst();
    }

    private RedisQueueSettings settings() {
        return RedisQueueSettings.builder().host("127.0.0.1").port(port).lockDuration(Duration.ofSeconds(3))
                .stalledInterval(Duration.ofSeconds(1)).concurrency(4).drainDelay(Duration.ofMillis(500))
                .connectTimeout(Duration.ofMillis(300)).commandTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void workersCarryOnAcrossARestartAndAppendFsyncAlwaysLosesNoJob() throws Exception {
        startRedis("--appendonly", "yes", "--appendfsync", "always");
        RedisQueueSettings settings = settings();
        int jobs = 300;
        List<Batch> batches = Batches.batches(jobs);
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        AtomicInteger afterRestart = new AtomicInteger();
        AtomicBoolean restarted = new AtomicBoolean();
        try (RedisDistributionQueue queue = RedisDistributionQueue.open(settings)) {
            queue.enqueueAll(batches);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> loops = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < 4; i++) {
                loops.add(pool.submit(() -> {
                    while (!stop.get()) {
                        Optional<DistributionJob> job = queue.take(Duration.ofMillis(500));
                        if (job.isEmpty()) {
                            continue;
                        }
                        Thread.sleep(10);
                        runs.merge(job.get().jobId(), 1, Integer::sum);
                        if (restarted.get()) {
                            afterRestart.incrementAndGet();
                        }
                        try {
                            queue.finish(job.get(), new JobOutcome.Done("ok"));
                        } catch (RuntimeException lost) {
                            // As DistributionWorker does: log and go on; the stalled check brings the job back.
                        }
                    }
                    return null;
                }));
            }
            while (runs.size() < jobs / 3) {
                Thread.sleep(5);
            }
            killRedis();
            Thread.sleep(1500);
            startRedis("--appendonly", "yes", "--appendfsync", "always");
            restarted.set(true);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            QueueCounts counts = queue.counts();
            while (counts.completed() < jobs && System.nanoTime() < deadline) {
                Thread.sleep(100);
                counts = queue.counts();
            }
            stop.set(true);
            for (Future<?> loop : loops) {
                loop.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(counts).isEqualTo(new QueueCounts(0, 0, 0, 0, jobs, 0, false));
            assertThat(runs).hasSize(jobs);
            assertThat(afterRestart.get()).as("jobs processed after the restart").isPositive();
            long twice = runs.values().stream().filter(n -> n > 1).count();
            System.out.println("RedisRestartTest: appendfsync always, " + twice + " of " + jobs
                    + " jobs ran twice (a finish lost in the crash), none lost");
        }
    }

    @Test
    void aTakeWaitsOutARedisStillLoadingItsDataAfterARestart() throws Exception {
        List<String> options = new ArrayList<>(List.of("--appendonly", "yes", "--appendfsync", "always"));
        if (!redisVersion().startsWith("6.")) {
            // Redis 7 refuses DEBUG unless enabled, and Redis 6 (embedded-redis's binary) knows no such option.
            options.addAll(List.of("--enable-debug-command", "yes"));
        }
        String[] persistence = options.toArray(String[]::new);
        startRedis(persistence);
        try (RedisDistributionQueue queue = RedisDistributionQueue.open(settings())) {
            Batch batch = Batches.batch();
            queue.enqueue(batch);
            try (Jedis jedis = new Jedis("127.0.0.1", port, 30_000)) {
                // Ballast, so that loading it back takes seconds: until then Redis answers LOADING to the queue's scripts.
                jedis.sendCommand(DEBUG, "POPULATE", "1000000", "ballast");
                jedis.bgrewriteaof();
                while (!jedis.info("persistence").contains("aof_rewrite_in_progress:0")
                        || !jedis.info("persistence").contains("aof_rewrite_scheduled:0")) {
                    Thread.sleep(50);
                }
            }
            killRedis();
            startRedisStillLoading(persistence);

            Optional<DistributionJob> job = queue.take(Duration.ofSeconds(60));

            assertThat(job).map(DistributionJob::jobId).contains(batch.jobId());
            queue.finish(job.get(), new JobOutcome.Done("ok"));
            assertThat(queue.counts().completed()).isEqualTo(1);
        }
    }

    @Test
    void withoutPersistenceARestartLosesTheQueueButWorkersCarryOn() throws Exception {
        startRedis("--appendonly", "no");
        RedisQueueSettings settings = settings();
        try (RedisDistributionQueue queue = RedisDistributionQueue.open(settings)) {
            queue.enqueueAll(Batches.batches(20));
            assertThat(queue.counts().prioritized()).isEqualTo(20);

            killRedis();
            startRedis("--appendonly", "no");

            // Everything the queue held is gone: the batches stay PENDING in PostgreSQL until enqueued again.
            assertThat(queue.counts()).isEqualTo(new QueueCounts(0, 0, 0, 0, 0, 0, false));
            Batch next = Batches.batch();
            queue.enqueue(next);
            Optional<DistributionJob> job = queue.take(Duration.ofSeconds(5));
            assertThat(job).map(DistributionJob::jobId).contains(next.jobId());
            queue.finish(job.get(), new JobOutcome.Done("ok"));
        }
    }
}
