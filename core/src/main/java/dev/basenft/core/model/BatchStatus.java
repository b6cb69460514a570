package dev.basenft.core.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * A batch's progress: {@code PENDING → PROCESSING → SUBMITTED → COMPLETED | FAILED}. Which operation may make which of these
 * moves is {@link BatchLifecycle}'s to say.
 *
 * <ul>
 *   <li>PROCESSING → PENDING: a worker gave the batch back before sending anything (breaker open, fees too high, balance low);
 *   <li>PROCESSING → COMPLETED: a recovering worker found the batch already minted on chain;
 *   <li>SUBMITTED → SUBMITTED: a replacement or rebroadcast of the stored transaction;
 *   <li>FAILED → PENDING: "Retry Failed".
 * </ul>
 * A COMPLETED batch never changes again: that is what makes a duplicate job harmless.
 */
public enum BatchStatus {
    PENDING, PROCESSING, SUBMITTED, COMPLETED, FAILED;

    public Set<BatchStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(PROCESSING);
            case PROCESSING -> EnumSet.of(PENDING, SUBMITTED, COMPLETED, FAILED);
            case SUBMITTED -> EnumSet.of(SUBMITTED, COMPLETED, FAILED);
            case FAILED -> EnumSet.of(PENDING);
            case COMPLETED -> EnumSet.noneOf(BatchStatus.class);
        };
    }

    public boolean canMoveTo(BatchStatus target) {
        return next().contains(target);
    }

    public BatchStatus moveTo(BatchStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalTransitionException("batch", this, target);
        }
        return target;
    }

    /** True while the batch is queued or being worked on: neither COMPLETED nor FAILED. */
    public boolean isOpen() {
        return BatchLifecycle.OPEN.contains(this);
    }
}
