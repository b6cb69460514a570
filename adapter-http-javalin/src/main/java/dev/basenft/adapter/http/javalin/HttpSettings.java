package dev.basenft.adapter.http.javalin;

import java.time.Duration;

/**
 * How the HTTP server listens and what it accepts. Immutable and thread-safe; start from {@link #defaults()} or
 * {@link #builder()}.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}; never blank
 * @param port the TCP port, 0 for any free one (tests); 0–65535
 * @param maxJsonBodyBytes the body limit of JSON routes (create campaign, attach contract, distribute, retry); answers 413
 *     beyond it; positive (default 64 KiB)
 * @param maxUploadBytes the body limit of the recipient upload; positive (default 16 MiB, about 300,000 CSV lines)
 * @param readinessTimeout how long one readiness check may take before it counts as failing; positive (default 3 s)
 */
public record HttpSettings(String host, int port, long maxJsonBodyBytes, long maxUploadBytes, Duration readinessTimeout) {

    /** @throws IllegalArgumentException naming the setting that is out of range */
    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxJsonBodyBytes <= 0) {
            throw new IllegalArgumentException("maxJsonBodyBytes must be positive, got " + maxJsonBodyBytes);
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes must be positive, got " + maxUploadBytes);
        }
        if (readinessTimeout == null || readinessTimeout.isNegative() || readinessTimeout.isZero()) {
            throw new IllegalArgumentException("readinessTimeout must be a positive duration, got " + readinessTimeout);
        }
    }

    /** All interfaces, port 3000 (the runbook's web app), the default limits. */
    public static HttpSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link HttpSettings}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 3000;
        private long maxJsonBodyBytes = 64 * 1024;
        private long maxUploadBytes = 16 * 1024 * 1024;
        private Duration readinessTimeout = Duration.ofSeconds(3);

        private Builder() {
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder maxJsonBodyBytes(long v) {
            maxJsonBodyBytes = v;
            return this;
        }

        public Builder maxUploadBytes(long v) {
            maxUploadBytes = v;
            return this;
        }

        public Builder readinessTimeout(Duration v) {
            readinessTimeout = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public HttpSettings build() {
            return new HttpSettings(host, port, maxJsonBodyBytes, maxUploadBytes, readinessTimeout);
        }
    }
}
