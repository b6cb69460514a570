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
 *   <li>FAILED → PENDING: "Retry Failed";
 *   <li>PENDING | PROCESSING → CANCELLED: its campaign was cancelled before anything was signed for the batch; its
 *       recipients go back to PENDING (unplanned), to be planned into new batches if the campaign is distributed again.
 * </ul>
 * A COMPLETED batch never changes again: that is what makes a duplicate job harmless. Nor does a CANCELLED one: nothing was
 * signed for it, and its recipients belong to no batch any more. SUBMITTED never moves to CANCELLED: its transaction may
 * land.
 */
public enum BatchStatus {
    PENDING, PROCESSING, SUBMITTED, COMPLETED, FAILED, CANCELLED;

    public Set<BatchStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(PROCESSING, CANCELLED);
            case PROCESSING -> EnumSet.of(PENDING, SUBMITTED, COMPLETED, FAILED, CANCELLED);
            case SUBMITTED -> EnumSet.of(SUBMITTED, COMPLETED, FAILED);
            case FAILED -> EnumSet.of(PENDING);
            case COMPLETED, CANCELLED -> EnumSet.noneOf(BatchStatus.class);
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

    /** True while the batch is queued or being worked on: neither COMPLETED, FAILED nor CANCELLED. */
    public boolean isOpen() {
        return BatchLifecycle.OPEN.contains(this);
    }
}
