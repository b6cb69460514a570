package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchId;

/**
 * A worker tried to write for a batch whose lease it no longer holds. Nothing was stored: the worker that holds the lease
 * now carries on.
 */
public final class LostClaimException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LostClaimException(BatchId batchId, String worker) {
        super("worker " + worker + " no longer holds the lease on batch " + batchId);
    }
}
