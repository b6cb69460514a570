package dev.basenft.adapter.http.javalin;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the HTTP server listens and what it accepts. Immutable and thread-safe; start from {@link #defaults()} or
 * {@link #builder()}.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0} (every interface, the default) or {@code 127.0.0.1} (this machine
 *     only); never blank
 * @param port the TCP port, 0 for any free one (tests); 0–65535
 * @param maxJsonBodyBytes the body limit of JSON routes (create campaign, attach contract, distribute, retry); answers 413
 *     beyond it; positive (default 64 KiB)
 * @param maxUploadBytes the body limit of the recipient upload; positive (default 16 MiB, about 300,000 CSV lines)
 * @param readinessTimeout how long one readiness check may take before it counts as failing; positive (default 3 s)
 * @param corsOrigins the browser origins, such as {@code https://console.example.com}, whose pages may call the API (CORS);
 *     empty (the default) sends no CORS headers, so browsers keep every other origin's scripts out; each one lower-case
 *     {@code http(s)://host[:port]}, never {@code *}; never null, duplicates dropped
 */
public record HttpSettings(String host, int port, long maxJsonBodyBytes, long maxUploadBytes, Duration readinessTimeout,
        List<String> corsOrigins) {

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
        if (corsOrigins == null) {
            throw new IllegalArgumentException("corsOrigins must not be null (empty for none)");
        }
        for (int i = 0; i < corsOrigins.size(); i++) {
            String origin = corsOrigins.get(i);
            int index = i;
            corsOriginProblem(origin).ifPresent(problem -> {
                throw new IllegalArgumentException("corsOrigins[" + index + "] " + problem);
            });
        }
        corsOrigins = List.copyOf(new LinkedHashSet<>(corsOrigins));
    }

    /**
     * What is wrong with one CORS origin, for this record and for the settings parser that reads {@code CORS_ORIGINS}.
     *
     * @param origin the origin as configured; may be null
     * @return the problem, phrased to follow the setting's name; empty when the origin is usable
     */
    public static Optional<String> corsOriginProblem(String origin) {
        if (origin == null || origin.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (origin.equals("*")) {
            // Any web page could then drive the API with a token it got hold of; name the pages that need it instead.
            return Optional.of("must name an origin such as https://console.example.com; '*' (any origin) is not allowed");
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return Optional.of("must be an origin such as https://console.example.com, got '" + origin + "'");
        }
        boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
        // Browsers send Origin as scheme://host[:port], lower-case, nothing after it; anything else would never match.
        if (!http || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                || !origin.equals(origin.toLowerCase(Locale.ROOT))) {
            return Optional.of("must be a lower-case http(s) origin without path or trailing slash, such as "
                    + "https://console.example.com; got '" + origin + "'");
        }
        return Optional.empty();
    }

    /** All interfaces, port 3000 (the runbook's web app), the default limits, no CORS. */
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
        private List<String> corsOrigins = List.of();

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

        /** Browser origins allowed to call the API; empty for none. */
        public Builder corsOrigins(List<String> v) {
            corsOrigins = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public HttpSettings build() {
            return new HttpSettings(host, port, maxJsonBodyBytes, maxUploadBytes, readinessTimeout, corsOrigins);
        }
    }
}
