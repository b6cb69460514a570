package dev.basenft.adapter.http.javalin;

import dev.basenft.adapter.http.javalin.internal.ApiResponse;
import dev.basenft.adapter.http.javalin.internal.HttpMetrics;
import dev.basenft.adapter.http.javalin.internal.Readiness;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The management endpoints of a process that serves no API (the worker): {@code GET /health} (alive), {@code GET
 * /health/ready} (200 when every check is ready, 503 naming the failing ones, in the same shape as {@link HttpApi}'s) and
 * {@code GET /metrics} (the registry in Prometheus text format), on a port of its own. Nothing else is served; every
 * other path answers 404. Thread-safe once started.
 */
public final class ManagementServer {

    private static final System.Logger LOG = System.getLogger("dev.basenft.http");

    private final String host;
    private final int port;
    private final Readiness readiness;
    private final HttpMetrics metrics;
    private final Javalin app;

    private ManagementServer(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.readiness = new Readiness(b.checks, b.readinessTimeout);
        this.metrics = new HttpMetrics(b.registry);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/health", RouteHandlers.open(ctx -> ApiResponse.json(200, Map.of("status", "UP"))));
            config.routes.get("/health/ready", RouteHandlers.open(ctx -> readiness.run()));
            config.routes.get("/metrics", ctx -> ctx.contentType(HttpMetrics.PROMETHEUS_TEXT).result(metrics.scrape()));
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; returns this. */
    public ManagementServer start() {
        app.start(host, port);
        LOG.log(System.Logger.Level.INFO, "Management endpoints (/health, /health/ready, /metrics) on {0}:{1}", host,
                Integer.toString(port()));
        return this;
    }

    /** The port listened on: the configured one, or the one picked when it was 0. Valid after {@link #start()}. */
    public int port() {
        return app.port();
    }

    /** Stops listening. */
    public void stop() {
        app.stop();
    }

    /** Builds a {@link ManagementServer}. Not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port;
        private Duration readinessTimeout = Duration.ofSeconds(3);
        private PrometheusMeterRegistry registry;
        private final List<ReadinessCheck> checks = new ArrayList<>();

        private Builder() {
        }

        /** The interface to bind; never blank. Defaults to every interface. */
        public Builder host(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            host = v;
            return this;
        }

        /** The port; 0 picks a free one. */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + v);
            }
            port = v;
            return this;
        }

        /** How long one readiness check may take before it counts as failing; positive. Defaults to 3 s. */
        public Builder readinessTimeout(Duration v) {
            Objects.requireNonNull(v, "readinessTimeout");
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("readinessTimeout must be positive, got " + v);
            }
            readinessTimeout = v;
            return this;
        }

        /** The registry {@code /metrics} scrapes; required. */
        public Builder meterRegistry(PrometheusMeterRegistry v) {
            registry = Objects.requireNonNull(v, "meterRegistry");
            return this;
        }

        /** Adds a named check to {@code /health/ready}. */
        public Builder readinessCheck(ReadinessCheck v) {
            checks.add(Objects.requireNonNull(v, "readinessCheck"));
            return this;
        }

        /** @throws IllegalStateException when the registry is missing */
        public ManagementServer build() {
            if (registry == null) {
                throw new IllegalStateException("meterRegistry is required");
            }
            return new ManagementServer(this);
        }
    }
}
