package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Require;

/**
 * What was asked cannot apply to the campaign in the state it is in: pausing a campaign that is not distributing, resuming
 * a cancelled one, distributing a paused one. Nothing changed. The HTTP API answers 409 with a problem type naming the
 * state ({@code urn:base-nft:problem:campaign-paused}, …).
 */
public final class CampaignStateConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CampaignId campaignId;
    private final transient CampaignStatus status;
    private final String action;

    /**
     * @param campaignId never null
     * @param status the state that refuses; never null
     * @param action what was asked, a verb ("pause"); never blank
     * @param hint what would work instead, a sentence; never blank
     */
    public CampaignStateConflictException(CampaignId campaignId, CampaignStatus status, String action, String hint) {
        super("campaign " + Require.notNull("campaignId", campaignId) + " is " + Require.notNull("status", status)
                + ": it cannot " + Require.text("action", action, 1, 40) + "; " + Require.text("hint", hint, 1, 500));
        this.campaignId = campaignId;
        this.status = status;
        this.action = action;
    }

    /** Never null. */
    public CampaignId campaignId() {
        return campaignId;
    }

    /** The campaign's state that refused; never null. */
    public CampaignStatus status() {
        return status;
    }

    /** What was asked ("pause", "resume", "cancel", "distribute", "retry"); never null. */
    public String action() {
        return action;
    }
}
