package dev.basenft.core.model;

import java.time.Instant;

/**
 * A signed transaction as the write-ahead ledger keeps it, tied to the batch it mints.
 *
 * @param batchId never null
 * @param run the batch's {@link Batch#run() run} it was signed in: a transaction of an earlier run belongs to an attempt
 *     that "Retry Failed" has already closed; not negative
 * @param transaction never null
 * @param recordedAt when it was written, before any broadcast; never null
 */
public record StoredTransaction(BatchId batchId, int run, SignedTransaction transaction, Instant recordedAt) {

    public StoredTransaction {
        Require.notNull("batchId", batchId);
        if (run < 0) {
            throw new IllegalArgumentException("run must not be negative, got " + run);
        }
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
