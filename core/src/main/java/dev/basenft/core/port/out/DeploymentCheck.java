package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.Require;

/** What a creator's deploy transaction turned out to be. */
public sealed interface DeploymentCheck {

    /**
     * Mined, succeeded, and our factory's {@code CollectionCreated} event names the new collection.
     *
     * @param collection the new collection; never null
     * @param creator the wallet that sent the deploy (the collection's admin); never null
     * @param campaign the campaign key the collection was created for; never null (may encode no campaign of ours)
     * @param blockNumber the block the deploy was mined in; 0 or more
     */
    record Deployed(Address collection, Address creator, CampaignKey campaign, long blockNumber) implements DeploymentCheck {
        public Deployed {
            Require.notNull("collection", collection);
            Require.notNull("creator", creator);
            Require.notNull("campaign", campaign);
            if (blockNumber < 0) {
                throw new IllegalArgumentException("blockNumber must not be negative, got " + blockNumber);
            }
        }
    }

    /** Not (yet) mined, or unknown to the node. */
    record NotMined() implements DeploymentCheck {
    }

    /** Mined but not usable: reverted, or not a call to our factory. The reason says which. */
    record Rejected(String reason) implements DeploymentCheck {
        public Rejected {
            Require.notNull("reason", reason);
        }
    }
}
