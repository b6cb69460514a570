package dev.basenft.core.model;

/**
 * The chain could not be reached or did not answer: a timeout, a refused connection, HTTP 5xx or 429, after the adapter's own
 * retries and failover. The only kind of failure the circuit breaker counts.
 */
public final class ChainUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChainUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ChainUnavailableException(String message) {
        super(message);
    }
}
