package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.in.ReadStatusQuery.CampaignView;

/**
 * Resumes a paused distribution: PAUSED becomes PROCESSING and its waiting batches are queued again at once.
 * Resuming a PROCESSING campaign changes nothing and answers the same.
 */
public interface ResumeDistributionUseCase {

    /**
     * @return the campaign with its counts after the change; never null
     * @throws CampaignNotFoundException when the campaign is not the owner's
     * @throws CampaignStateConflictException when the campaign is DRAFT, COMPLETED, FAILED or CANCELLED (a cancelled campaign is distributed again instead)
     */
    CampaignView resume(ResumeDistributionCommand command);

    /**
     * @param owner never null
     * @param campaignId never null
     */
    record ResumeDistributionCommand(Fid owner, CampaignId campaignId) {
        public ResumeDistributionCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
        }
    }
}
