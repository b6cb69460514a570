package dev.basenft.core.port.in;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.StoredTransaction;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads for the API and console. Every read is scoped to the owner: another owner's campaign reads as absent. */
public interface ReadStatusQuery {

    /** The campaign with its counts, or empty when it is not the owner's. */
    Optional<CampaignView> campaign(Fid owner, CampaignId id);

    /** A page of the owner's campaigns in id order after {@code after}. */
    List<Campaign> campaigns(Fid owner, Optional<CampaignId> after, int limit);

    /** @throws CampaignNotFoundException when the campaign is not the owner's */
    List<Recipient> recipients(Fid owner, CampaignId id, Optional<RecipientStatus> status, Optional<Address> after,
            int limit);

    /**
     * A page of the campaign's batches in index order after {@code afterIndex}, each with its transactions, without their
     * recipient lists: two reads per page, whatever its size.
     *
     * @param limit 1–10,000
     * @throws CampaignNotFoundException when the campaign is not the owner's
     */
    List<BatchView> distributions(Fid owner, CampaignId id, Optional<Integer> afterIndex, int limit);

    /**
     * What the minter paid so far for the campaign's completed batches.
     *
     * @throws CampaignNotFoundException when the campaign is not the owner's
     */
    FeesPaid feesPaid(Fid owner, CampaignId id);

    /**
     * Hands every recipient of the campaign, with its batch, to {@code sink} in upload order, streaming (see
     * {@link dev.basenft.core.port.out.Recipients#export}). Ownership is checked before the first row.
     *
     * @throws CampaignNotFoundException when the campaign is not the owner's; {@code sink} is not called then
     */
    void exportRecipients(Fid owner, CampaignId id, Consumer<ExportedRecipient> sink);

    record CampaignView(Campaign campaign, BatchSummary summary) {
    }

    /** A batch of a listing and its transactions, oldest first. */
    record BatchView(BatchOverview batch, List<StoredTransaction> transactions) {
    }
}
