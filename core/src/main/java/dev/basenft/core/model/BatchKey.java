package dev.basenft.core.model;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.internal.Keccak256;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The bytes32 a batch passes to the collection's {@code mintBatch}; the contract refuses a key it has seen, so the same batch
 * can never mint twice even if two transactions for it reach the chain.
 *
 * @param value {@code 0x} and 64 lower-case hex digits
 */
public record BatchKey(String value) {

    public BatchKey {
        if (!Hex.isHex(value, 32)) {
            throw new IllegalArgumentException("batchKey must be 0x and 64 hex digits, got '" + value + "'");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /**
     * Derives the key of batch {@code index} of a campaign: keccak256 of the campaign UUID's 16 bytes followed by the index
     * as a big-endian uint32. Deterministic, so a re-planned or re-run batch always carries the same key.
     */
    public static BatchKey derive(CampaignId campaign, int index) {
        if (campaign == null) {
            throw new IllegalArgumentException("campaign must not be null");
        }
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        ByteBuffer buffer = ByteBuffer.allocate(20);
        buffer.putLong(campaign.value().getMostSignificantBits());
        buffer.putLong(campaign.value().getLeastSignificantBits());
        buffer.putInt(index);
        return new BatchKey(Hex.encode(Keccak256.hash(buffer.array())));
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
