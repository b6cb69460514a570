package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.adapter.http.javalin.ReadinessCheck;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the readiness checks in parallel, each with a timeout, and composes {@code GET /health/ready}: 200 when every check is
 * ready, 503 listing the failing ones otherwise. Thread-safe.
 */
public final class Readiness {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http.ready");

    private final List<ReadinessCheck> checks;
    private final Duration timeout;

    /**
     * @param checks never null; names must be unique
     * @param timeout how long one check may take; positive
     */
    public Readiness(List<ReadinessCheck> checks, Duration timeout) {
        this.checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        var names = new HashSet<String>();
        for (ReadinessCheck check : this.checks) {
            if (!names.add(check.name())) {
                throw new IllegalArgumentException("two readiness checks are named '" + check.name() + "'");
            }
        }
    }

    /** Runs every check and builds the response. */
    public ApiResponse run() {
        Map<String, Object> results = new LinkedHashMap<>();
        List<String> failing = new ArrayList<>();
        // Virtual threads: a check blocked on a dead database costs nothing while we wait out its timeout. The executor is
        // not closed with try-with-resources: close() waits for every task, and a check stuck in I/O that ignores
        // interrupts would then hold the answer past its timeout. Its thread ends on its own when the I/O gives up.
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Map<ReadinessCheck, Future<ReadinessCheck.Result>> running = new LinkedHashMap<>();
            for (ReadinessCheck check : checks) {
                running.put(check, pool.submit(check::check));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (var entry : running.entrySet()) {
                ReadinessCheck.Result result = outcome(entry.getKey(), entry.getValue(), deadline);
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("status", result.ready() ? "UP" : "DOWN");
                shown.putAll(result.details());
                results.put(entry.getKey().name(), shown);
                if (!result.ready()) {
                    failing.add(entry.getKey().name());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failing.isEmpty() ? "UP" : "DOWN");
        body.put("failing", failing);
        body.put("checks", results);
        return ApiResponse.json(failing.isEmpty() ? 200 : 503, body);
    }

    private ReadinessCheck.Result outcome(ReadinessCheck check, Future<ReadinessCheck.Result> future, long deadline) {
        try {
            ReadinessCheck.Result result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return result == null ? ReadinessCheck.Result.down("the check returned nothing", Map.of()) : result;
        } catch (TimeoutException e) {
            future.cancel(true);
            return ReadinessCheck.Result.down("no answer within " + timeout.toMillis() + " ms", Map.of());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.log(Level.WARNING, "Readiness check {0} failed: {1}", check.name(), String.valueOf(cause));
            return ReadinessCheck.Result.down(cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReadinessCheck.Result.down("interrupted", Map.of());
        }
    }
}
