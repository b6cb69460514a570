package dev.basenft.adapter.http.javalin.internal;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Request counts and latency as a Micrometer timer {@code http.server.requests} (Prometheus:
 * {@code http_server_requests_seconds_count/_sum/_bucket}), tagged by method, route template (never the raw path, which would
 * make one series per campaign id) and status. Thread-safe.
 */
public final class HttpMetrics {

    /** The media type of Prometheus' text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

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
        Timer.builder("http.server.requests")
                .description("HTTP requests handled by the base-nft API")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(elapsed);
    }

    /** Everything in the registry, in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
