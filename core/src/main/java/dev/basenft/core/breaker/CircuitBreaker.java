package dev.basenft.core.breaker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The circuit breaker around the chain (docs/architecture.md#the-worker): {@code failureThreshold} consecutive
 * transport failures open it; while open, calls are refused; after the cooldown it is half-open and lets exactly one
 * trial call through; that call's success closes it, its failure reopens it.
 *
 * <p>Only transport failures (timeouts, connection errors, HTTP 5xx and 429) should be recorded as failures: a revert or
 * "nonce too low" is an answer, and counting it would stop every batch because of one bad batch.
 *
 * <p>A pure state machine over an injected {@link InstantSource}: it never reads the wall clock itself. Thread-safe: every
 * method is atomic with respect to the others.
 */
public final class CircuitBreaker {

    private final CircuitBreakerConfig config;
    private final InstantSource time;
    private final Listener listener;

    private CircuitState state = CircuitState.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private boolean trialInFlight;

    /**
     * @param config never null
     * @param time never null
     */
    public CircuitBreaker(CircuitBreakerConfig config, InstantSource time) {
        this(config, time, Listener.NONE);
    }

    /**
     * As {@link #CircuitBreaker(CircuitBreakerConfig, InstantSource)}, telling {@code listener} of every change of state.
     *
     * @param listener never null; called while the breaker's lock is held, so it must be quick and must not call back
     */
    public CircuitBreaker(CircuitBreakerConfig config, InstantSource time, Listener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.time = Objects.requireNonNull(time, "time");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Asks to make a call. CLOSED: yes. OPEN: no until the cooldown has passed, then the breaker turns HALF_OPEN and this
     * caller gets the single trial. HALF_OPEN with the trial already out: no.
     *
     * @return a decision; never null
     */
    public synchronized Permission tryAcquire() {
        if (state == CircuitState.OPEN && !time.instant().isBefore(openedAt.plus(config.cooldown()))) {
            moveTo(CircuitState.HALF_OPEN);
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> Permission.GRANTED;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield Permission.refused(config.cooldown());
                }
                trialInFlight = true;
                yield Permission.GRANTED;
            }
            case OPEN -> Permission.refused(Duration.between(time.instant(), openedAt.plus(config.cooldown())));
        };
    }

    /**
     * Records a call that got an answer from the chain. Closes a half-open breaker and resets the failure count.
     *
     * @return true when this success closed a half-open breaker
     */
    public synchronized boolean recordSuccess() {
        consecutiveFailures = 0;
        if (state == CircuitState.HALF_OPEN) {
            moveTo(CircuitState.CLOSED);
            trialInFlight = false;
            return true;
        }
        return false;
    }

    /**
     * Records a transport failure. Opens the breaker at the threshold, or at once when half-open.
     *
     * @return true when this failure opened the breaker
     */
    public synchronized boolean recordFailure() {
        consecutiveFailures++;
        if (state == CircuitState.HALF_OPEN || (state == CircuitState.CLOSED
                && consecutiveFailures >= config.failureThreshold())) {
            moveTo(CircuitState.OPEN);
            openedAt = time.instant();
            trialInFlight = false;
            return true;
        }
        return false;
    }

    /**
     * Returns a trial permission unused (the caller decided not to call the chain after all), so another caller may take it.
     */
    public synchronized void releaseTrial() {
        if (state == CircuitState.HALF_OPEN) {
            trialInFlight = false;
        }
    }

    /** The state now, turning OPEN into HALF_OPEN when the cooldown has passed. */
    public synchronized CircuitState state() {
        if (state == CircuitState.OPEN && !time.instant().isBefore(openedAt.plus(config.cooldown()))) {
            moveTo(CircuitState.HALF_OPEN);
            trialInFlight = false;
        }
        return state;
    }

    private void moveTo(CircuitState next) {
        CircuitState previous = state;
        state = next;
        try {
            listener.changed(previous, next);
        } catch (RuntimeException e) {
            // An observer (metrics) must never change what the breaker does.
            System.getLogger(CircuitBreaker.class.getName()).log(System.Logger.Level.WARNING,
                    "Circuit breaker listener failed (ignored): {0}", String.valueOf(e));
        }
    }

    public CircuitBreakerConfig config() {
        return config;
    }

    /**
     * The answer to {@link #tryAcquire()}.
     *
     * @param granted whether the call may go ahead
     * @param retryAfter when refused, how long until asking again makes sense; zero when granted
     */
    public record Permission(boolean granted, Duration retryAfter) {

        static final Permission GRANTED = new Permission(true, Duration.ZERO);

        public Permission {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        static Permission refused(Duration retryAfter) {
            return new Permission(false, retryAfter.isNegative() ? Duration.ZERO : retryAfter);
        }
    }

    /** Observes the breaker's changes of state (the application's metrics); must be thread-safe, quick, and not throw. */
    @FunctionalInterface
    public interface Listener {

        /** Ignores every change. */
        Listener NONE = (from, to) -> {
        };

        /** The breaker went from {@code from} to {@code to}; both never null and never equal. */
        void changed(CircuitState from, CircuitState to);
    }
}
