package dev.basenft.core.model;

import dev.basenft.core.internal.Hex;

/**
 * A transaction signed locally and not yet known to be anywhere else: what the write-ahead ledger stores before broadcasting.
 *
 * @param hash the transaction hash; never null
 * @param raw the signed RLP bytes as {@code 0x…} hex, ready for {@code eth_sendRawTransaction}; never null
 * @param from the signing wallet; never null
 * @param nonce the wallet nonce, not negative
 * @param gasLimit positive
 * @param fees the EIP-1559 fee caps it was signed with; never null
 */
public record SignedTransaction(TxHash hash, String raw, Address from, long nonce, long gasLimit, Fees fees) {

    public SignedTransaction {
        Require.notNull("hash", hash);
        Require.notNull("raw", raw);
        if (raw.length() < 4 || raw.length() % 2 != 0 || !raw.startsWith("0x")) {
            throw new IllegalArgumentException("raw must be 0x-prefixed hex bytes");
        }
        Hex.decode(raw);
        Require.notNull("from", from);
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
        }
        Require.positive("gasLimit", gasLimit);
        Require.notNull("fees", fees);
    }
}
