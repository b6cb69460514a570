package dev.basenft.core.model;

/**
 * One token a mint created, read from a Transfer log.
 *
 * @param to the recipient; never null
 * @param tokenId never null
 */
public record MintedToken(Address to, TokenId tokenId) {

    public MintedToken {
        Require.notNull("to", to);
        Require.notNull("tokenId", tokenId);
    }
}
