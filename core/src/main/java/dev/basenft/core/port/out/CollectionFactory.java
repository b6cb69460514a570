package dev.basenft.core.port.out;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.UnsignedCall;

/**
 * The factory contract creators deploy their collection through. Each collection is bound to the campaign it is deployed
 * for: the deploy call carries the campaign's {@link dev.basenft.core.model.CampaignKey}, the factory deploys at an address
 * derived from (sender, campaign key), and its event repeats the key. Safe for concurrent use; no method accepts null.
 */
public interface CollectionFactory {

    /** The unsigned {@code createCollection(campaignKey, name, symbol, baseUri)} call for the creator's wallet. */
    UnsignedCall deployCall(Campaign campaign);

    /**
     * Where {@link #deployCall}'s collection lands when {@code creatorWallet} sends it (whether or not it has yet).
     *
     * @throws dev.basenft.core.model.ChainUnavailableException when the chain cannot be asked
     */
    Address predictCollection(Address creatorWallet, CampaignId campaign);

    /** Reads a creator's deploy transaction back: it must be mined, succeed, and come from our factory. */
    DeploymentCheck verifyDeployment(TxHash deployTransaction);

    /** Whether our minter wallet holds MINTER_ROLE on {@code collection}. */
    boolean minterHasRole(Address collection);
}
