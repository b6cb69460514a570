package dev.basenft.core.port.in;

import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.TxHash;

/**
 * Attaches the collection a creator deployed through our factory: the deploy transaction must be mined, come from our factory,
 * and the minter must hold MINTER_ROLE on the new collection.
 */
public interface AttachContractUseCase {

    /** @throws CampaignNotFoundException when the campaign is not the owner's */
    AttachResult attach(AttachContractCommand command);

    record AttachContractCommand(Fid owner, CampaignId campaignId, TxHash deployTransaction) {
        public AttachContractCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
            Require.notNull("deployTransaction", deployTransaction);
        }
    }

    /** What attaching did. */
    sealed interface AttachResult {
        /** The collection is now the campaign's. */
        record Attached(Campaign campaign) implements AttachResult {
        }

        /** The deploy transaction is not mined yet; try again shortly. */
        record NotMined() implements AttachResult {
        }

        /** The transaction cannot be used, for the reason given; nothing changed. */
        record Rejected(String reason) implements AttachResult {
        }
    }
}
