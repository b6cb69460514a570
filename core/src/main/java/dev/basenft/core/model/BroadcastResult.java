package dev.basenft.core.model;

import java.util.Optional;

/**
 * How the node answered {@code eth_sendRawTransaction} (or {@code eth_sendRawTransactionSync}, EIP-7966).
 */
public sealed interface BroadcastResult {

    /**
     * Taken into the mempool, or already there ("already known").
     *
     * @param receipt the receipt when the node sent it back with the answer ({@code eth_sendRawTransactionSync}); empty
     *        when the transaction was only taken into the mempool. Like any receipt, acted on only under the confirmation
     *        rules. Never null.
     */
    record Accepted(TxHash hash, Optional<MintReceipt> receipt) implements BroadcastResult {
        public Accepted {
            Require.notNull("hash", hash);
            Require.notNull("receipt", receipt);
        }

        /** Taken into the mempool; no receipt yet. */
        public Accepted(TxHash hash) {
            this(hash, Optional.empty());
        }
    }

    /** Refused for a reason that resending will not change (nonce too low, underpriced, insufficient funds…). */
    record Rejected(ChainFailure failure, String message) implements BroadcastResult {
        public Rejected {
            Require.notNull("failure", failure);
            Require.notNull("message", message);
        }
    }
}
