package dev.basenft.adapter.redis;

import dev.basenft.core.model.Require;
import java.time.Duration;

/** Turning delays into the milliseconds the scripts take. Stateless and thread-safe. */
final class Delays {

    /** BullMQ's delayed scores hold milliseconds × 4096 in a double, good until 2039: cap delays well inside that. */
    static final long MAX_MILLIS = Duration.ofDays(365).toMillis();

    private Delays() {
    }

    /**
     * {@code delay} in milliseconds, capped at {@link #MAX_MILLIS}.
     *
     * @param name the argument's name, for the message
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    static long millis(String name, Duration delay) {
        Require.notNull(name, delay);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + delay);
        }
        return delay.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0 ? MAX_MILLIS : delay.toMillis();
    }

    /** {@code duration} in nanoseconds, saturated instead of overflowing (a caller may wait "forever"). */
    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
