package dev.basenft.adapter.redis;

import dev.basenft.core.model.Require;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a job waits before its next attempt after a {@code Retry} outcome, with BullMQ's formulas so Node and Java workers
 * back off alike: fixed waits {@code delay}; exponential waits {@code round(2^(n−1) × delay)} after the n-th failed attempt.
 * Jitter {@code j} (0–1) shortens a wait at random to between {@code (1 − j)} and 1 times itself, so jobs that failed
 * together do not all come back in the same millisecond.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type never null
 * @param delay the base delay; not null, not negative, at most a day
 * @param jitter between 0 (none) and 1
 */
public record Backoff(Type type, Duration delay, double jitter) {

    /** BullMQ's two built-in strategies; its names are {@link #bullName()}. */
    public enum Type {
        FIXED("fixed"), EXPONENTIAL("exponential");

        private final String bullName;

        Type(String bullName) {
            this.bullName = bullName;
        }

        /** The name in BullMQ's job options ({@code "fixed"} or {@code "exponential"}). */
        public String bullName() {
            return bullName;
        }
    }

    private static final Duration MAX_DELAY = Duration.ofDays(1);

    public Backoff {
        Require.notNull("type", type);
        Require.notNull("delay", delay);
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("delay must be between 0 and " + MAX_DELAY + ", got " + delay);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
    }

    /** Fixed backoff without jitter. */
    public static Backoff fixed(Duration delay) {
        return new Backoff(Type.FIXED, delay, 0);
    }

    /** Exponential backoff without jitter. */
    public static Backoff exponential(Duration delay) {
        return new Backoff(Type.EXPONENTIAL, delay, 0);
    }

    /** This backoff with {@code jitter} (0–1). */
    public Backoff withJitter(double jitter) {
        return new Backoff(type, delay, jitter);
    }

    /**
     * The wait before the next attempt.
     *
     * @param attemptsMade failed attempts so far, including the one that just failed; 1 or more
     * @param random uniform in [0, 1), used only when there is jitter; not null
     * @return never negative
     */
    public long delayMillis(int attemptsMade, DoubleSupplier random) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1, got " + attemptsMade);
        }
        Require.notNull("random", random);
        double base = type == Type.FIXED ? delay.toMillis()
                : Math.pow(2, Math.min(attemptsMade - 1, 40)) * delay.toMillis();
        long wait = Math.round(Math.min(base, MAX_DELAY.toMillis() * 30.0));
        if (jitter > 0 && wait > 0) {
            wait = (long) Math.floor(wait * (1 - jitter) + random.getAsDouble() * wait * jitter);
        }
        return wait;
    }
}
