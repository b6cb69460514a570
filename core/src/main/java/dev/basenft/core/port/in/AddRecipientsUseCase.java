package dev.basenft.core.port.in;

import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IngestResult;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.Require;

/** Adds recipients to a campaign, all or nothing; addresses already present are reported as duplicates, not stored twice. */
public interface AddRecipientsUseCase {

    /** @throws CampaignNotFoundException when the campaign is not the owner's */
    IngestResult add(AddRecipientsCommand command);

    /**
     * @param owner never null
     * @param campaignId never null
     * @param recipients validated recipients, iterated once; never null
     */
    record AddRecipientsCommand(Fid owner, CampaignId campaignId, Iterable<NewRecipient> recipients) {
        public AddRecipientsCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
            Require.notNull("recipients", recipients);
        }
    }
}
