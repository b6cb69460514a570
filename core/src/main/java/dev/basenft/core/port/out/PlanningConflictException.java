package dev.basenft.core.port.out;

/** Planned batches could not be saved because someone else planned the same recipients or index first. Nothing was stored. */
public final class PlanningConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PlanningConflictException(String message) {
        super(message);
    }
}
