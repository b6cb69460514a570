package dev.basenft.core.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a campaign's distribution stands: {@code DRAFT → PROCESSING → COMPLETED | FAILED}, {@code FAILED → PROCESSING} on
 * retry, and {@code COMPLETED → PROCESSING} when more recipients are added and distributed.
 */
public enum CampaignStatus {
    DRAFT, PROCESSING, COMPLETED, FAILED;

    /** The states this one may move to. */
    public Set<CampaignStatus> next() {
        return switch (this) {
            case DRAFT -> EnumSet.of(PROCESSING);
            case PROCESSING -> EnumSet.of(COMPLETED, FAILED);
            case COMPLETED, FAILED -> EnumSet.of(PROCESSING);
        };
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
