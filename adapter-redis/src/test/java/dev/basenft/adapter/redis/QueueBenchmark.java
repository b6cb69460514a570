package dev.basenft.adapter.redis;

import dev.basenft.core.model.Batch;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The queue benchmark, side by side with npm bullmq on the same Redis (run it with {@code adapter-redis/bench.sh}; it is
 * not a test). Each round runs the Java side, then {@code src/test/node/bench.mjs}, on the same jobs: add in bulk (1,000
 * per call), add one at a time, and process (take + complete) at concurrency 1 and 50. Prints the median jobs/s of each and
 * the Java/bullmq ratio.
 *
 * <p>Arguments: [jobs, default 20000] [rounds, default 3] [java|node|both, default both]. Redis from REDIS_HOST, REDIS_PORT, REDIS_DB (default
 * 127.0.0.1:6379/0); keys under a random prefix, deleted afterwards.
 */
public final class QueueBenchmark {

    private static final List<String> OPS = List.of("addBulk", "add", "process-c1", "process-c50");

    private QueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String sides = args.length > 2 ? args[2] : "both";
        String host = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
        int database = Integer.parseInt(System.getenv().getOrDefault("REDIS_DB", "0"));
        String prefix = "bnt-bench-" + UUID.randomUUID().toString().substring(0, 8);
        RedisQueueSettings base = RedisQueueSettings.builder().host(host).port(port).database(database).prefix(prefix)
                .build();
        Map<String, List<Double>> java = new LinkedHashMap<>();
        Map<String, List<Double>> node = new LinkedHashMap<>();
        System.out.printf("%d jobs, %d rounds, Redis %s:%d/%d, prefix %s%n", jobs, rounds, host, port, database, prefix);
        try {
            // One small round each first, uncounted, so neither side is measured while its JIT is still cold.
            if (!sides.equals("node")) {
                runJava(base, Math.min(jobs, 5000), new LinkedHashMap<>());
            }
            if (!sides.equals("java")) {
                runNode(base, Math.min(jobs, 5000), new LinkedHashMap<>());
            }
            for (int round = 1; round <= rounds; round++) {
                // Alternate who goes first, so a burst of load from elsewhere on the machine hits both alike.
                boolean javaFirst = round % 2 == 1;
                if (javaFirst && !sides.equals("node")) {
                    runJava(base, jobs, java);
                }
                if (!sides.equals("java")) {
                    runNode(base, jobs, node);
                }
                if (!javaFirst && !sides.equals("node")) {
                    runJava(base, jobs, java);
                }
                System.out.printf("round %d: java %s | bullmq %s%n", round, last(java), last(node));
            }
        } finally {
            for (String queue : List.of("bench-add", "bench-c1", "bench-c50")) {
                TestRedis.deleteKeys(base.toBuilder().queueName(queue).build());
            }
        }
        System.out.println();
        System.out.printf("| %-12s | %12s | %12s | %6s |%n", "jobs/s", "Java", "bullmq 6.7", "ratio");
        System.out.println("|--------------|--------------|--------------|--------|");
        for (String op : OPS) {
            double j = median(java.getOrDefault(op, List.of(Double.NaN)));
            double n = median(node.getOrDefault(op, List.of(Double.NaN)));
            System.out.printf("| %-12s | %12.0f | %12.0f | %5.2fx |%n", op, j, n, j / n);
        }
    }

    private static void runJava(RedisQueueSettings base, int jobs, Map<String, List<Double>> results)
            throws InterruptedException {
        RedisQueueSettings addSettings = base.toBuilder().queueName("bench-add").build();
        // BENCH_JAVA_ONLY=process skips the adds: for profiling the worker path alone.
        if (!"process".equals(System.getenv("BENCH_JAVA_ONLY"))) {
            try (RedisDistributionQueue queue = RedisDistributionQueue.open(addSettings)) {
                List<Batch> batches = Batches.batches(jobs);
                long start = System.nanoTime();
                queue.enqueueAll(batches);
                record(results, "addBulk", jobs, start);
                TestRedis.deleteKeys(addSettings);

                batches = Batches.batches(jobs);
                start = System.nanoTime();
                for (Batch batch : batches) {
                    queue.enqueue(batch);
                }
                record(results, "add", jobs, start);
            }
            TestRedis.deleteKeys(addSettings);
        }
        for (int concurrency : new int[] {1, 50}) {
            RedisQueueSettings settings = base.toBuilder().queueName("bench-c" + concurrency).concurrency(concurrency)
                    .build();
            try (RedisDistributionQueue queue = RedisDistributionQueue.open(settings)) {
                queue.enqueueAll(Batches.batches(jobs));
                AtomicInteger left = new AtomicInteger(jobs);
                CountDownLatch done = new CountDownLatch(concurrency);
                long start = System.nanoTime();
                for (int i = 0; i < concurrency; i++) {
                    // Virtual threads, as DistributionWorker runs its loops.
                    Thread.ofVirtual().start(() -> {
                        try {
                            while (left.get() > 0) {
                                Optional<DistributionJob> job = queue.take(Duration.ofMillis(200));
                                if (job.isPresent()) {
                                    queue.finish(job.get(), new JobOutcome.Done("ok"));
                                    left.decrementAndGet();
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            done.countDown();
                        }
                    });
                }
                done.await(10, TimeUnit.MINUTES);
                record(results, "process-c" + concurrency, jobs, start);
            }
            TestRedis.deleteKeys(settings);
        }
    }

    private static void runNode(RedisQueueSettings base, int jobs, Map<String, List<Double>> results) throws Exception {
        NodeBullmq.install();
        ProcessBuilder builder = new ProcessBuilder("node", "bench.mjs", Integer.toString(jobs), base.prefix())
                .directory(NodeBullmq.DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("REDIS_HOST", base.host());
        builder.environment().put("REDIS_PORT", Integer.toString(base.port()));
        builder.environment().put("REDIS_DB", Integer.toString(base.database()));
        Process process = builder.start();
        Pattern line = Pattern.compile("\"op\":\"([^\"]+)\".*\"perSec\":(\\d+)");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String text;
            while ((text = out.readLine()) != null) {
                Matcher m = line.matcher(text);
                if (m.find()) {
                    results.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("node bench.mjs exited " + process.exitValue());
        }
    }

    private static void record(Map<String, List<Double>> results, String op, int jobs, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        results.computeIfAbsent(op, k -> new ArrayList<>()).add(jobs / seconds);
    }

    private static String last(Map<String, List<Double>> results) {
        StringBuilder out = new StringBuilder();
        results.forEach((op, values) -> out.append(op).append('=').append(Math.round(values.getLast())).append(' '));
        return out.toString().strip();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
