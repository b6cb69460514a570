package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.in.ReadStatusQuery.CampaignView;

/**
 * Pauses a running distribution: no further batch of the campaign is signed; batches already signed finish.
 * PROCESSING becomes PAUSED; pausing a PAUSED campaign changes nothing and answers the same.
 */
public interface PauseDistributionUseCase {

    /**
     * @return the campaign with its counts after the change; never null
     * @throws CampaignNotFoundException when the campaign is not the owner's
     * @throws CampaignStateConflictException when the campaign is DRAFT, COMPLETED, FAILED or CANCELLED: nothing is distributing
     */
    CampaignView pause(PauseDistributionCommand command);

    /**
     * @param owner never null
     * @param campaignId never null
     */
    record PauseDistributionCommand(Fid owner, CampaignId campaignId) {
        public PauseDistributionCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
        }
    }
}
