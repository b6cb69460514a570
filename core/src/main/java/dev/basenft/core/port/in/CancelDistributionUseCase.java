package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.in.ReadStatusQuery.CampaignView;

/**
 * Cancels a running or paused distribution: PROCESSING or PAUSED becomes CANCELLED, every batch nothing was
 * signed for is CANCELLED and its recipients PENDING (unplanned) again; batches already signed finish and their recipients
 * are minted. Cancelling a CANCELLED campaign changes nothing (it cancels any batch a worker gave back meanwhile). A
 * cancelled campaign may be distributed again, which plans its PENDING recipients into new batches.
 */
public interface CancelDistributionUseCase {

    /**
     * @return the campaign with its counts after the change; never null
     * @throws CampaignNotFoundException when the campaign is not the owner's
     * @throws CampaignStateConflictException when the campaign is DRAFT, COMPLETED or FAILED: nothing is distributing
     */
    CampaignView cancel(CancelDistributionCommand command);

    /**
     * @param owner never null
     * @param campaignId never null
     */
    record CancelDistributionCommand(Fid owner, CampaignId campaignId) {
        public CancelDistributionCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
        }
    }
}
