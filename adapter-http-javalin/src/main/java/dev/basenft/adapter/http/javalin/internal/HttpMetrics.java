package dev.basenft.adapter.http.javalin.internal;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Request counts and latency as a Micrometer timer {@code http.server.requests} (Prometheus:
 * {@code http_server_requests_seconds_count/_sum/_bucket}), tagged by method, route template (never the raw path, which would
 * make one series per campaign id) and status. Thread-safe.
 */
public final class HttpMetrics {

    /** The media type of Prometheus' text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    /**
     * The timers already registered. Building and registering a timer on every request sorts its tags, builds its id and
     * looks it up in the registry, all to find the same timer again; the keys are few (methods x route templates x
     * statuses), so each is built once.
     */
    private final ConcurrentMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    /** @param registry shared with the application, which may add its own meters; never null */
    public HttpMetrics(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Records one request.
     *
     * @param method the HTTP method
     * @param route the matched route template, or {@code unmatched}
     * @param status the response status
     * @param elapsed how long it took
     */
    public void record(String method, String route, int status, Duration elapsed) {
        timers.computeIfAbsent(new TimerKey(method, route, status), this::register).record(elapsed);
    }

    private Timer register(TimerKey key) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests handled by the base-nft API")
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                .register(registry);
    }

    private record TimerKey(String method, String route, int status) {

        TimerKey {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(route, "route");
        }
    }

    /** Everything in the registry, in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
