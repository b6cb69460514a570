package dev.basenft.core.model;

/**
 * A Farcaster user id: the owner of a campaign, or optionally a recipient.
 *
 * @param value positive
 */
public record Fid(long value) {

    public Fid {
        if (value <= 0) {
            throw new IllegalArgumentException("fid must be a positive number, got " + value);
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
