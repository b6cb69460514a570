package dev.basenft.core.model;

import java.util.UUID;

/**
 * Identifies a campaign. Ids come from the {@code IdGenerator} port, so tests and embedders decide how they are made.
 *
 * @param value never null
 */
public record CampaignId(UUID value) implements Comparable<CampaignId> {

    public CampaignId {
        Ids.require("campaignId", value);
    }

    /** Parses the canonical UUID text form, naming the value when it is not one. */
    public static CampaignId parse(String text) {
        return new CampaignId(Ids.parse("campaignId", text));
    }

    @Override
    public int compareTo(CampaignId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
