package dev.basenft.adapter.http.javalin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One named part of {@code GET /health/ready} (docs/architecture.md#http-api): PostgreSQL, Redis, RPC, breaker, minter,
 * … supplied by the application. Each check runs on its own thread with a timeout; one that throws or times out counts
 * as failing, with the exception's message (never a stack trace) in the response. Implementations must be safe for
 * concurrent use and must not put secrets in their details.
 */
public interface ReadinessCheck {

    /** Names the check in the response, e.g. {@code postgresql}; never blank, unique per API. */
    String name();

    /**
     * Checks the dependency.
     *
     * @return whether it is ready, with details (block number, latency, balance, …); never null
     * @throws Exception when the check itself fails: reported as not ready
     */
    Result check() throws Exception;

    /** A check from a name and a function. */
    static ReadinessCheck of(String name, Callable<Result> check) {
        Objects.requireNonNull(check, "check");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Result check() throws Exception {
                return check.call();
            }

            @Override
            public String toString() {
                return "ReadinessCheck[" + name + "]";
            }
        };
    }

    /**
     * A check's outcome.
     *
     * @param ready whether the dependency is usable
     * @param details shown in the response (values must serialize to JSON: strings, numbers, booleans, maps, lists); never
     *     null
     */
    record Result(boolean ready, Map<String, Object> details) {
        public Result {
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
        }

        public static Result up(Map<String, Object> details) {
            return new Result(true, details);
        }

        /** Not ready, for {@code reason}. */
        public static Result down(String reason, Map<String, Object> details) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("reason", Objects.requireNonNull(reason, "reason"));
            all.putAll(details);
            return new Result(false, all);
        }
    }
}
