package dev.basenft.core.service;

import dev.basenft.core.model.BatchLifecycle;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a campaign's status in step with its batches: COMPLETED once every batch completed and no recipient waits unplanned
 * (one added after the distribution was planned), FAILED once no batch is open (see {@link BatchLifecycle#OPEN}) and at
 * least one failed. Called after each batch settles; each caller reads after its own write, so whichever settles last sees
 * the final counts. Thread-safe.
 */
public final class CampaignProgress {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");

    private final Campaigns campaigns;
    private final Batches batches;

    @Inject
    public CampaignProgress(Campaigns campaigns, Batches batches) {
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.batches = Objects.requireNonNull(batches, "batches");
    }

    /** Moves a PROCESSING campaign to COMPLETED or FAILED when its batches say so. */
    public void refresh(CampaignId campaign) {
        Map<BatchStatus, Long> counts = batches.countByStatus(campaign);
        long open = BatchLifecycle.OPEN.stream().mapToLong(counts::get).sum();
        if (open > 0) {
            return;
        }
        if (counts.get(BatchStatus.FAILED) > 0) {
            if (campaigns.updateStatus(campaign, CampaignStatus.PROCESSING, CampaignStatus.FAILED)) {
                LOG.log(Level.WARNING, "Campaign status -> FAILED: campaign {0}, {1} failed batch(es); check the batches'' error and retry",
                        campaign, Long.toString(counts.get(BatchStatus.FAILED)));
            }
        } else if (counts.get(BatchStatus.COMPLETED) > 0 && everyRecipientPlanned(campaign)
                && campaigns.updateStatus(campaign, CampaignStatus.PROCESSING, CampaignStatus.COMPLETED)) {
            LOG.log(Level.INFO, "Campaign status -> COMPLETED: campaign {0}, {1} batch(es)", campaign,
                    Long.toString(counts.get(BatchStatus.COMPLETED)));
        }
    }

    /** Recipients still PENDING were added after planning: the campaign is not done until a distribution mints them. */
    private boolean everyRecipientPlanned(CampaignId campaign) {
        long unplanned = campaigns.findWithSummary(campaign)
                .map(found -> found.summary().recipients().get(RecipientStatus.PENDING))
                .orElse(0L);
        if (unplanned > 0) {
            LOG.log(Level.INFO, "Campaign {0}: every batch completed, but {1} recipient(s) were never planned; it stays"
                    + " PROCESSING until a distribution mints them", campaign, Long.toString(unplanned));
            return false;
        }
        return true;
    }
}
