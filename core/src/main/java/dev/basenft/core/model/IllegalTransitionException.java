package dev.basenft.core.model;

/**
 * A state change the domain's state machines do not allow, such as COMPLETED → PENDING for a batch.
 * Names the entity, the current state and the requested one.
 */
public final class IllegalTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public IllegalTransitionException(String entity, Enum<?> from, Enum<?> to) {
        super(entity + " cannot go from " + from + " to " + to);
    }
}
