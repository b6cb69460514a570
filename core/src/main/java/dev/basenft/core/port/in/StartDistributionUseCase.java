package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;

/**
 * Plans batches for every PENDING recipient and enqueues every PENDING batch. Safe to repeat: a second call plans nothing new
 * and enqueues nothing twice, and it re-enqueues batches a crash left planned but not queued.
 */
public interface StartDistributionUseCase {

    /**
     * @throws CampaignNotFoundException when the campaign is not the owner's
     * @throws CampaignNotReadyException when the campaign has no collection contract yet
     */
    DistributionStarted start(StartDistributionCommand command);

    record StartDistributionCommand(Fid owner, CampaignId campaignId) {
        public StartDistributionCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
        }
    }

    /**
     * @param plannedBatches batches planned by this call
     * @param plannedRecipients recipients put into them
     * @param enqueuedBatches PENDING batches handed to the queue (new and earlier ones)
     */
    record DistributionStarted(int plannedBatches, long plannedRecipients, int enqueuedBatches) {
    }
}
