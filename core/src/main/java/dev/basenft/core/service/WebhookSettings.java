package dev.basenft.core.service;

import dev.basenft.core.model.Require;
import java.time.Duration;

/**
 * How webhooks are accepted and delivered. Immutable.
 *
 * @param allowPlainHttp whether {@code http://} URLs are accepted for any host (development); loopback hosts may always
 *     use plain http, every other receiver must be {@code https://}
 * @param maxAttempts tries per delivery before it is given up, 1–100
 * @param firstBackoff the wait after the first failed try; each later wait doubles, up to {@code maxBackoff}; positive
 * @param maxBackoff the longest wait between tries; at least {@code firstBackoff}
 * @param timeout how long one POST may take, connecting included; positive
 * @param lease how long a claimed delivery stays with its deliverer before another may take it; longer than
 *     {@code timeout}
 * @param pollInterval how long the delivery loop waits when nothing is due; positive
 */
public record WebhookSettings(boolean allowPlainHttp, int maxAttempts, Duration firstBackoff, Duration maxBackoff,
        Duration timeout, Duration lease, Duration pollInterval) {

    public WebhookSettings {
        Require.between("maxAttempts", maxAttempts, 1, 100);
        Require.positive("firstBackoff", firstBackoff);
        Require.positive("maxBackoff", maxBackoff);
        Require.positive("timeout", timeout);
        Require.positive("lease", lease);
        Require.positive("pollInterval", pollInterval);
        if (maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least firstBackoff");
        }
        if (lease.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("lease must be longer than timeout, so a slow POST keeps its claim");
        }
    }

    /**
     * Production defaults: https only, 8 tries from 5 s doubling to at most 10 min, a 10 s timeout and a lease of the
     * timeout + 5 s (what the application derives from {@code WEBHOOK_TIMEOUT_MS}).
     */
    public static WebhookSettings defaults() {
        return new WebhookSettings(false, 8, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(1));
    }

    /** The wait after failed try number {@code attempt} (1-based): {@code firstBackoff × 2^(attempt−1)}, capped. */
    public Duration backoff(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        Duration wait = firstBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
