package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.TxHash;

/**
 * The factory contract creators deploy their collection through (SPEC §5, contract route; §9). Safe for concurrent use.
 */
public interface CollectionFactory {

    /** The unsigned {@code createCollection} call for the creator's wallet. */
    UnsignedCall deployCall(Campaign campaign);

    /** Reads a creator's deploy transaction back: it must be mined, succeed, and come from our factory. */
    DeploymentCheck verifyDeployment(TxHash deployTransaction);

    /** Whether our minter wallet holds MINTER_ROLE on {@code collection}. */
    boolean minterHasRole(Address collection);
}
