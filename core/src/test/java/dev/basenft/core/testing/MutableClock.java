package dev.basenft.core.testing;

import dev.basenft.core.model.Require;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that stands still until a test moves it, so leases, delays, cooldowns and stuck-transaction
 * timers can be crossed without waiting. Thread-safe.
 */
public final class MutableClock implements InstantSource {

    /** A fixed, readable starting point for tests: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock at {@link #DEFAULT_START}. */
    public MutableClock() {
        this(DEFAULT_START);
    }

    /** @param start the time it shows until moved; not null */
    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(Require.notNull("start", start));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /**
     * Moves the clock forward.
     *
     * @param duration not null, not negative (time never runs backwards: leases would come back to life)
     * @return the new time
     */
    public Instant advance(Duration duration) {
        Require.notNull("duration", duration);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + duration);
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    /**
     * Sets the clock to {@code instant}.
     *
     * @param instant not null, not before the current time
     */
    public void set(Instant instant) {
        Require.notNull("instant", instant);
        now.updateAndGet(current -> {
            if (instant.isBefore(current)) {
                throw new IllegalArgumentException("instant " + instant + " is before the clock's time " + current);
            }
            return instant;
        });
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "]";
    }
}
