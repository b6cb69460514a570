package dev.basenft.adapter.base.rpc;

import dev.basenft.core.model.Require;
import java.time.Duration;

/**
 * How often and how patiently an RPC call is retried on a transport error (timeout, refused or reset connection, HTTP 5xx or
 * 429). One attempt tries every configured RPC URL in failover order; only when all of them failed does the next attempt
 * start, after an exponential backoff with random jitter so that many workers do not hammer a recovering node in step.
 *
 * @param maxAttempts attempts per call, 1–10 (3 by default: docs/architecture.md#the-worker)
 * @param initialBackoff pause before the second attempt; positive, never null
 * @param maxBackoff longest pause between attempts; not shorter than {@code initialBackoff}, never null
 * @param jitter random share of each pause, in [0, 1): 0.25 means ±25 %
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

    /** The defaults (docs/architecture.md#the-worker): 3 attempts, 200 ms then 400 ms (at most 2 s), ±25 % jitter. */
    public static final RetrySettings DEFAULT = new RetrySettings(3, Duration.ofMillis(200), Duration.ofSeconds(2), 0.25);

    public RetrySettings {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("retry.maxAttempts must be between 1 and 10, got " + maxAttempts);
        }
        Require.positive("retry.initialBackoff", initialBackoff);
        Require.positive("retry.maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry.maxBackoff (" + maxBackoff + ") must not be shorter than retry.initialBackoff ("
                    + initialBackoff + ")");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("retry.jitter must be in [0, 1), got " + jitter);
        }
    }
}
