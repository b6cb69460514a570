package dev.basenft.core.model;

/**
 * The chain answered, and the answer was no: a revert on estimate or a deterministic refusal. Retrying will not help, and the
 * circuit breaker does not count it.
 */
public final class ChainRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final ChainFailure failure;

    public ChainRejectedException(ChainFailure failure, String message) {
        super(failure.description() + (message == null || message.isBlank() ? "" : " (" + message + ")"));
        this.failure = failure;
    }

    /** The classified reason; never null. */
    public ChainFailure failure() {
        return failure;
    }
}
