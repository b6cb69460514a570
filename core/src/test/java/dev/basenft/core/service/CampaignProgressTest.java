package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A campaign is COMPLETED only when every one of its recipients is minted, not merely every planned batch. */
class CampaignProgressTest {

    private final Harness h = new Harness();
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    @Test
    void recipientsAddedAfterPlanningKeepTheCampaignProcessingUntilTheyAreMintedToo() {
        Campaign campaign = h.campaignWithContract(2);
        List<Batch> first = h.distribute(campaign);
        h.addRecipients(campaign.id(), 3);

        assertThat(h.process(first.getFirst())).isInstanceOf(BatchOutcome.Completed.class);

        assertThat(h.campaign(campaign.id()).status()).as("3 recipients were never planned")
                .isEqualTo(CampaignStatus.PROCESSING);
        assertThat(log.linesContaining("were never planned")).hasSize(1);

        List<Batch> all = h.distribute(campaign);
        assertThat(all).hasSize(2);
        assertThat(h.process(all.getLast())).isInstanceOf(BatchOutcome.Completed.class);

        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        assertThat(h.storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.COMPLETED, 5L);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }
}
