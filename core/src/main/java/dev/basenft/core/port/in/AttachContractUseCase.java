package dev.basenft.core.port.in;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.TxHash;

/**
 * Attaches the collection a creator deployed through our factory: the deploy transaction must be mined, come from our factory,
 * have been made for this campaign (its event's campaign key), the collection must not be attached to any campaign yet, and
 * the minter must hold MINTER_ROLE on it. One collection, one campaign. Attaching the campaign's own collection again answers
 * {@link AttachResult.Attached} and changes nothing, so a retried request is harmless.
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
        /** The collection is now the campaign's (by this call, or already was). */
        record Attached(Campaign campaign) implements AttachResult {
            public Attached {
                Require.notNull("campaign", campaign);
            }
        }

        /** The deploy transaction is not mined yet; try again shortly. */
        record NotMined() implements AttachResult {
        }

        /** The transaction cannot be used, for the reason given; nothing changed. */
        record Rejected(String reason) implements AttachResult {
            public Rejected {
                Require.notNull("reason", reason);
            }
        }

        /**
         * The collection was deployed for another campaign (its event names {@code createdFor}); nothing changed.
         *
         * @param collection never null
         * @param createdFor never null
         */
        record ForAnotherCampaign(Address collection, CampaignKey createdFor) implements AttachResult {
            public ForAnotherCampaign {
                Require.notNull("collection", collection);
                Require.notNull("createdFor", createdFor);
            }
        }

        /**
         * The collection is already another campaign's; nothing changed.
         *
         * @param collection never null
         */
        record CollectionAlreadyAttached(Address collection) implements AttachResult {
            public CollectionAlreadyAttached {
                Require.notNull("collection", collection);
            }
        }

        /**
         * The campaign already has another collection; nothing changed.
         *
         * @param existing the collection it has; never null
         */
        record CampaignHasCollection(Address existing) implements AttachResult {
            public CampaignHasCollection {
                Require.notNull("existing", existing);
            }
        }
    }
}
