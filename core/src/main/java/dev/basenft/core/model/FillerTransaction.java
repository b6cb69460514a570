package dev.basenft.core.model;

import java.time.Instant;

/**
 * A zero-value transfer from the minter to itself, signed on a nonce that no mint will fill, so the transactions behind it
 * can be mined (docs/RUNBOOK.md#8-nonce-gaps-and-fillers). It carries no batch: the torture verification and an operator count the
 * chain's nonces as "one per batch plus the fillers recorded".
 *
 * @param transaction the signed filler; never null
 * @param reason why the nonce needed filling, in words; 1 to 500 characters
 * @param recordedAt when it was recorded, before any broadcast; never null
 */
public record FillerTransaction(SignedTransaction transaction, String reason, Instant recordedAt) {

    /** Gas of a plain value transfer: all a filler needs. */
    public static final long GAS_LIMIT = 21_000;

    public FillerTransaction {
        Require.notNull("transaction", transaction);
        reason = Require.text("reason", reason, 1, 500);
        Require.notNull("recordedAt", recordedAt);
        if (transaction.gasLimit() != GAS_LIMIT) {
            throw new IllegalArgumentException("a filler's gas limit must be " + GAS_LIMIT + ", got "
                    + transaction.gasLimit());
        }
    }

    public TxHash hash() {
        return transaction.hash();
    }

    public long nonce() {
        return transaction.nonce();
    }

    public Address wallet() {
        return transaction.from();
    }
}
