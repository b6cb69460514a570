package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Require;

/** What a creator's deploy transaction turned out to be. */
public sealed interface DeploymentCheck {

    /** Mined, succeeded, and our factory's event names the new collection. */
    record Deployed(Address collection, Address creator) implements DeploymentCheck {
        public Deployed {
            Require.notNull("collection", collection);
            Require.notNull("creator", creator);
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
