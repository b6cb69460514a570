package dev.basenft.core.port.in;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.UnsignedCall;
import java.util.Optional;

/**
 * Prepares the factory call that deploys a campaign's collection, for the creator's wallet to sign. The call carries the
 * campaign's {@link CampaignKey}, which binds the collection to this campaign; given the wallet that will send it, the
 * answer also says where the collection will be.
 */
public interface PrepareDeployUseCase {

    /**
     * @return the call, or that the campaign already has its collection; never null
     * @throws CampaignNotFoundException when the campaign is not the owner's
     * @throws dev.basenft.core.model.ChainUnavailableException when a prediction was asked for and the chain cannot answer
     */
    PreparedDeploy prepare(PrepareDeployCommand command);

    /**
     * @param owner never null
     * @param campaignId never null
     * @param creatorWallet the wallet that will send the deploy, to predict the collection's address; never null (empty
     *        for no prediction)
     */
    record PrepareDeployCommand(Fid owner, CampaignId campaignId, Optional<Address> creatorWallet) {
        public PrepareDeployCommand {
            Require.notNull("owner", owner);
            Require.notNull("campaignId", campaignId);
            Require.notNull("creatorWallet", creatorWallet);
        }
    }

    /** What {@link #prepare} found. */
    sealed interface PreparedDeploy {

        /**
         * The call to send.
         *
         * @param call never null
         * @param campaignKey the campaign id the call carries; never null
         * @param predictedCollection where the collection lands when the command's wallet sends the call; never null
         *        (empty when no wallet was given)
         */
        record Ready(UnsignedCall call, CampaignKey campaignKey, Optional<Address> predictedCollection)
                implements PreparedDeploy {
            public Ready {
                Require.notNull("call", call);
                Require.notNull("campaignKey", campaignKey);
                Require.notNull("predictedCollection", predictedCollection);
            }
        }

        /**
         * The campaign already has its collection: there is nothing to deploy.
         *
         * @param collection never null
         */
        record AlreadyAttached(Address collection) implements PreparedDeploy {
            public AlreadyAttached {
                Require.notNull("collection", collection);
            }
        }
    }
}
