package dev.basenft.core.model;

/**
 * How the node answered {@code eth_sendRawTransaction}.
 */
public sealed interface BroadcastResult {

    /** Taken into the mempool, or already there ("already known"). */
    record Accepted(TxHash hash) implements BroadcastResult {
        public Accepted {
            Require.notNull("hash", hash);
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
