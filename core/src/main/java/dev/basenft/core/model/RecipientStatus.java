package dev.basenft.core.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * A recipient's mint: {@code PENDING → PROCESSING} when planned into a batch, {@code → COMPLETED | FAILED} with its batch,
 * {@code FAILED → PROCESSING} when the batch is retried, {@code PROCESSING → PENDING} when its batch is cancelled before
 * anything was signed for it (unplanned again). A COMPLETED recipient never changes again.
 */
public enum RecipientStatus {
    PENDING, PROCESSING, COMPLETED, FAILED;

    public Set<RecipientStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(PROCESSING);
            case PROCESSING -> EnumSet.of(COMPLETED, FAILED, PENDING);
            case FAILED -> EnumSet.of(PROCESSING);
            case COMPLETED -> EnumSet.noneOf(RecipientStatus.class);
        };
    }

    public boolean canMoveTo(RecipientStatus target) {
        return next().contains(target);
    }

    public RecipientStatus moveTo(RecipientStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalTransitionException("recipient", this, target);
        }
        return target;
    }
}
