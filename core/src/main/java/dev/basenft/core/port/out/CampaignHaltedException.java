package dev.basenft.core.port.out;

import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Require;

/**
 * The write-ahead of a batch's first transaction was refused because its campaign is paused or cancelled. Nothing was
 * signed or stored and no nonce was used; the worker gives the batch back (paused) or withdraws it (cancelled).
 */
public final class CampaignHaltedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CampaignStatus status;

    /**
     * @param batchId never null
     * @param status the campaign's status, {@link CampaignStatus#isHalted() halted}; never null
     */
    public CampaignHaltedException(BatchId batchId, CampaignStatus status) {
        super("the campaign of batch " + Require.notNull("batchId", batchId) + " is " + Require.notNull("status", status)
                + ": nothing is signed for it");
        if (!status.isHalted()) {
            throw new IllegalArgumentException("a halted campaign is PAUSED or CANCELLED, got " + status);
        }
        this.status = status;
    }

    /** PAUSED or CANCELLED; never null. */
    public CampaignStatus status() {
        return status;
    }
}
