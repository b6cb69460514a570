package dev.basenft.core.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a campaign's distribution stands: {@code DRAFT → PROCESSING → COMPLETED | FAILED}, {@code FAILED → PROCESSING} on
 * retry, and {@code COMPLETED → PROCESSING} when more recipients are added and distributed.
 *
 * <p>The creator's controls: {@code PROCESSING ↔ PAUSED} (pause, resume) and {@code PROCESSING | PAUSED → CANCELLED}; a
 * cancelled campaign goes back to {@code PROCESSING} when it is distributed (or retried) again. While a campaign is
 * {@linkplain #isHalted() halted} no batch of it is signed; batches signed before still finish.
 */
public enum CampaignStatus {
    DRAFT, PROCESSING, COMPLETED, FAILED, PAUSED, CANCELLED;

    /** The states this one may move to. */
    public Set<CampaignStatus> next() {
        return switch (this) {
            case DRAFT -> EnumSet.of(PROCESSING);
            case PROCESSING -> EnumSet.of(COMPLETED, FAILED, PAUSED, CANCELLED);
            case PAUSED -> EnumSet.of(PROCESSING, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.of(PROCESSING);
        };
    }

    /**
     * True for PAUSED and CANCELLED: no batch of the campaign may be signed (claimed fresh, or written ahead) now. Batches
     * with a signed transaction are not held back: their transaction may land, so they are driven to the end.
     */
    public boolean isHalted() {
        return this == PAUSED || this == CANCELLED;
    }

    public boolean canMoveTo(CampaignStatus target) {
        return next().contains(target);
    }

    /** Returns {@code target}, or throws when this state may not move there. */
    public CampaignStatus moveTo(CampaignStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalTransitionException("campaign", this, target);
        }
        return target;
    }
}
