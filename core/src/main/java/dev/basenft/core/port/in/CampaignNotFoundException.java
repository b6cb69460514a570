package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;

/** No campaign with this id belongs to the caller. Other owners' campaigns are reported the same way, so ids leak nothing. */
public final class CampaignNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CampaignNotFoundException(CampaignId id) {
        super("campaign " + id + " not found");
    }
}
