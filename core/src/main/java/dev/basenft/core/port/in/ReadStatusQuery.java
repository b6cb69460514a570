package dev.basenft.core.port.in;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.StoredTransaction;
import java.util.List;
import java.util.Optional;

/** Reads for the API and console. Every read is scoped to the owner: another owner's campaign reads as absent. */
public interface ReadStatusQuery {

    /** The campaign with its counts, or empty when it is not the owner's. */
    Optional<CampaignView> campaign(Fid owner, CampaignId id);

    /** A page of the owner's campaigns in id order after {@code after}. */
    List<Campaign> campaigns(Fid owner, Optional<CampaignId> after, int limit);

    /** @throws CampaignNotFoundException when the campaign is not the owner's */
    List<Recipient> recipients(Fid owner, CampaignId id, Optional<RecipientStatus> status, Optional<Address> after,
            int limit);

    /** @throws CampaignNotFoundException when the campaign is not the owner's */
    List<BatchView> distributions(Fid owner, CampaignId id);

    record CampaignView(Campaign campaign, BatchSummary summary) {
    }

    record BatchView(Batch batch, List<StoredTransaction> transactions) {
    }
}
