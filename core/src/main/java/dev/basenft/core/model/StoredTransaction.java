package dev.basenft.core.model;

import java.time.Instant;

/**
 * A signed transaction as the write-ahead ledger keeps it, tied to the batch it mints.
 *
 * @param batchId never null
 * @param transaction never null
 * @param recordedAt when it was written, before any broadcast; never null
 */
public record StoredTransaction(BatchId batchId, SignedTransaction transaction, Instant recordedAt) {

    public StoredTransaction {
        Require.notNull("batchId", batchId);
        Require.notNull("transaction", transaction);
        Require.notNull("recordedAt", recordedAt);
    }

    public TxHash hash() {
        return transaction.hash();
    }

    public long nonce() {
        return transaction.nonce();
    }
}
