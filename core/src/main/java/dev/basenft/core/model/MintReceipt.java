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
 * @param fees what the transaction cost, when the chain reported it; empty for a receipt built by hand. Never null.
 */
public record MintReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed, List<MintedToken> tokens,
        ChainFailure failure, Optional<BlockHash> blockHash, Optional<ReceiptFees> fees) {

    public MintReceipt {
        Require.notNull("hash", hash);
        tokens = List.copyOf(Require.notNull("tokens", tokens));
        Require.notNull("failure", failure);
        Require.notNull("blockHash", blockHash);
        Require.notNull("fees", fees);
        if (succeeded != (failure == ChainFailure.NONE)) {
            throw new IllegalArgumentException("a receipt's failure must be NONE exactly when it succeeded");
        }
    }

    /** A receipt whose fees are not known. */
    public MintReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed, List<MintedToken> tokens,
            ChainFailure failure, Optional<BlockHash> blockHash) {
        this(hash, succeeded, blockNumber, gasUsed, tokens, failure, blockHash, Optional.empty());
    }

    /** What the minter paid for this transaction; empty when the chain did not report its fees. */
    public Optional<Wei> feePaid() {
        return fees.map(f -> f.total(gasUsed));
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
