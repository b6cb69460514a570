package dev.basenft.core.model;

import java.util.List;

/**
 * The outcome of a mined transaction, as the chain reports it.
 *
 * @param hash never null
 * @param succeeded false when the transaction reverted
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param tokens the tokens it minted, from its Transfer logs (empty when it reverted); never null
 * @param failure why it reverted, when it did; null-free: {@link ChainFailure#NONE} on success
 */
public record MintReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed, List<MintedToken> tokens,
        ChainFailure failure) {

    public MintReceipt {
        Require.notNull("hash", hash);
        tokens = List.copyOf(Require.notNull("tokens", tokens));
        Require.notNull("failure", failure);
        if (succeeded != (failure == ChainFailure.NONE)) {
            throw new IllegalArgumentException("a receipt's failure must be NONE exactly when it succeeded");
        }
    }
}
