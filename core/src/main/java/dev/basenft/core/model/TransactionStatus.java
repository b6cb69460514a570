package dev.basenft.core.model;

/**
 * What the node knows of a transaction hash.
 */
public sealed interface TransactionStatus {

    /** Mined, with its receipt. */
    record Mined(MintReceipt receipt) implements TransactionStatus {
        public Mined {
            Require.notNull("receipt", receipt);
        }
    }

    /** In the node's mempool, not yet mined. */
    record Pending() implements TransactionStatus {
    }

    /** The node has never heard of it, or dropped it. */
    record Unknown() implements TransactionStatus {
    }
}
