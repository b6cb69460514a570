package dev.basenft.core.model;

import dev.basenft.core.internal.Hex;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The bytes32 a campaign is known by on chain: the factory's {@code createCollection(campaignId, …)} argument, which its
 * {@code CollectionCreated} event repeats, so a collection is bound to the one campaign it was deployed for.
 *
 * <p>The one mapping from a {@link CampaignId}: 16 zero bytes, then the UUID's 16 bytes big-endian (most significant half
 * first, the order its text reads). So {@code 0f1e…-…} becomes {@code 0x00000000000000000000000000000000 0f1e…} without the
 * dashes. Reversible, so an event's key names the campaign it was made for; a key whose high half is not zero was not made
 * by this engine.
 *
 * @param value {@code 0x} and 64 lower-case hex digits
 */
public record CampaignKey(String value) {

    private static final int HALF = 16;

    public CampaignKey {
        if (!Hex.isHex(value, 32)) {
            throw new IllegalArgumentException("campaignKey must be 0x and 64 hex digits, got '" + value + "'");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /**
     * The key of {@code campaign}.
     *
     * @throws IllegalArgumentException when {@code campaign} is null
     */
    public static CampaignKey of(CampaignId campaign) {
        Require.notNull("campaign", campaign);
        ByteBuffer buffer = ByteBuffer.allocate(32);
        buffer.position(HALF);
        buffer.putLong(campaign.value().getMostSignificantBits());
        buffer.putLong(campaign.value().getLeastSignificantBits());
        return new CampaignKey(Hex.encode(buffer.array()));
    }

    /** The campaign this key encodes; empty when its high 16 bytes are not zero (no campaign id of ours maps to it). */
    public Optional<CampaignId> campaignId() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes());
        if (buffer.getLong() != 0 || buffer.getLong() != 0) {
            return Optional.empty();
        }
        return Optional.of(new CampaignId(new UUID(buffer.getLong(), buffer.getLong())));
    }

    /** The 32 raw bytes. */
    public byte[] bytes() {
        return Hex.decode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
