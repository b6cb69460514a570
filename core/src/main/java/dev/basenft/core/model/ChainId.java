package dev.basenft.core.model;

/**
 * An EIP-155 chain id (8453 is Base mainnet, 84532 Base Sepolia, 31337 a default local chain).
 *
 * @param value positive
 */
public record ChainId(long value) {

    /** Base mainnet. */
    public static final ChainId BASE = new ChainId(8453);

    public ChainId {
        if (value <= 0) {
            throw new IllegalArgumentException("chainId must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
