package dev.basenft.core.model;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a mined transaction, as the chain reports it.
 *
 * @param hash never null
 * @param succeeded false when the transaction reverted
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param tokens the tokens it minted, from its Transfer logs (empty when it reverted); never null
 * @param failure why it reverted, when it did; null-free: {@link ChainFailure#NONE} on success
 * @param blockHash the hash of the block it was mined in, as the node reported it; empty when not known (a receipt built by
 *     hand). Never null. A reread receipt with another block hash was mined again after a reorganisation.
 */
public record MintReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed, List<MintedToken> tokens,
        ChainFailure failure, Optional<BlockHash> blockHash) {

    public MintReceipt {
        Require.notNull("hash", hash);
        tokens = List.copyOf(Require.notNull("tokens", tokens));
        Require.notNull("failure", failure);
        Require.notNull("blockHash", blockHash);
        if (succeeded != (failure == ChainFailure.NONE)) {
            throw new IllegalArgumentException("a receipt's failure must be NONE exactly when it succeeded");
        }
    }

    /** A receipt whose block hash is not known. */
    public MintReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed, List<MintedToken> tokens,
            ChainFailure failure) {
        this(hash, succeeded, blockNumber, gasUsed, tokens, failure, Optional.empty());
    }

    /**
     * Whether {@code other} is this receipt read again from the same block: same transaction, block number and (when both
     * are known) block hash. False means the transaction was mined again elsewhere, after a reorganisation.
     */
    public boolean sameBlockAs(MintReceipt other) {
        Require.notNull("other", other);
        return hash.equals(other.hash) && blockNumber == other.blockNumber
                && (blockHash.isEmpty() || other.blockHash.isEmpty() || blockHash.equals(other.blockHash));
    }
}
