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

    /**
     * Orders ids as unsigned 128-bit numbers, which is the order of their canonical text and of PostgreSQL's {@code uuid}
     * type. {@link UUID#compareTo} compares the halves as signed longs, so it would put {@code 8…} before {@code 1…} and a
     * keyset page read from the database would not match one computed in memory.
     */
    @Override
    public int compareTo(CampaignId other) {
        int high = Long.compareUnsigned(value.getMostSignificantBits(), other.value.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(value.getLeastSignificantBits(), other.value.getLeastSignificantBits());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
