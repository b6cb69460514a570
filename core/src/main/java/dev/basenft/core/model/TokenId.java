package dev.basenft.core.model;

import java.math.BigInteger;

/**
 * An ERC-721 token id.
 *
 * @param value not negative
 */
public record TokenId(BigInteger value) implements Comparable<TokenId> {

    public TokenId {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException("tokenId must be a non-negative integer, got " + value);
        }
    }

    public static TokenId of(long id) {
        return new TokenId(BigInteger.valueOf(id));
    }

    @Override
    public int compareTo(TokenId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
