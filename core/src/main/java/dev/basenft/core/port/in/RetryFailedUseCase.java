package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;

/** "Retry Failed": re-enqueues a campaign's FAILED batches with the same recipients and batch keys. */
public interface RetryFailedUseCase {

    /**
     * @return how many batches were requeued
     * @throws CampaignNotFoundException when the campaign is not the owner's
     */
    int retry(RetryFailedCommand command);

    record RetryFailedCommand(Fid owner, CampaignId campaignId) {
        public RetryFailedCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
        }
    }
}
