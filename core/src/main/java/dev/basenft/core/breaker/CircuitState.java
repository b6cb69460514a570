package dev.basenft.core.breaker;

/** The three states of a {@link CircuitBreaker}. */
public enum CircuitState {
    /** Calls go through; consecutive failures are counted. */
    CLOSED,
    /** Calls are refused until the cooldown ends. */
    OPEN,
    /** The cooldown ended: one trial call goes through; its success closes the breaker, its failure reopens it. */
    HALF_OPEN
}
