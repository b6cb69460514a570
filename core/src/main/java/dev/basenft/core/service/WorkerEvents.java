package dev.basenft.core.service;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.StoredTransaction;

/**
 * What a {@link BatchProcessor} tells an observer about the transactions it drives: the application counts them as
 * metrics. Core knows no metrics library; this is its only way out for them.
 *
 * <p>Every method has a do-nothing default, and {@link #NONE} is the observer that ignores everything. Calls come from the
 * worker's batch threads, after the fact has been stored; an implementation must be thread-safe, fast and must not throw
 * (a failure is logged and ignored by the processor, never allowed to change what happens to a batch). Arguments are never
 * null.
 */
public interface WorkerEvents {

    /** Ignores every event. */
    WorkerEvents NONE = new WorkerEvents() {
    };

    /** A freshly signed transaction (stored first) was broadcast for the first time and the node took it. */
    default void transactionSent(Batch batch, StoredTransaction transaction) {
    }

    /** A stored transaction the node did not know was broadcast again, byte for byte, and the node took it. */
    default void transactionRebroadcast(Batch batch, StoredTransaction transaction) {
    }

    /** A pending transaction was replaced on its nonce with higher fees; {@code replacement} is the new
     * one, stored and taken by the node. */
    default void transactionReplaced(Batch batch, StoredTransaction replacement) {
    }

    /**
     * This process completed {@code batch} with {@code receipt}: its mint is on chain and recorded. Called once per batch
     * per process that completed it (a redelivered job for a completed batch does not call it again).
     */
    default void batchMined(Batch batch, MintReceipt receipt) {
    }
}
