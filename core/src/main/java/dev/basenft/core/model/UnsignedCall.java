package dev.basenft.core.model;

/**
 * A transaction for someone else's wallet to sign and send.
 *
 * @param chainId never null
 * @param to never null
 * @param data calldata as {@code 0x…} hex; never null
 * @param value never null
 */
public record UnsignedCall(ChainId chainId, Address to, String data, Wei value) {

    public UnsignedCall {
        Require.notNull("chainId", chainId);
        Require.notNull("to", to);
        Require.notNull("data", data);
        Require.notNull("value", value);
    }
}
