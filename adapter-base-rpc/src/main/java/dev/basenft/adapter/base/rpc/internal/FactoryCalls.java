package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.UnsignedCall;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.CollectionFactory;
import dev.basenft.core.port.out.DeploymentCheck;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The {@link CollectionFactory} half of the chain gateway: the creator's deploy call, the factory's CREATE2 prediction, a
 * deployment's verification and the minter's role. Stateless apart from the client; thread-safe. Arguments must not be
 * null.
 */
public final class FactoryCalls implements CollectionFactory {

    private final ChainId chainId;
    private final Address factory;
    private final Address minter;
    private final MintReceipts receipts;
    /** {@code eth_call} to an address with data at "latest", a revert as {@link ChainRejectedException}. */
    private final BiFunction<Address, String, String> call;

    public FactoryCalls(ChainId chainId, Address factory, Address minter, MintReceipts receipts,
            BiFunction<Address, String, String> call) {
        this.chainId = chainId;
        this.factory = factory;
        this.minter = minter;
        this.receipts = receipts;
        this.call = call;
    }

    /**
     * {@code createCollection(campaignKey, name, symbol, baseUri)} on our factory, for the creator's wallet, with no value.
     */
    @Override
    public UnsignedCall deployCall(Campaign campaign) {
        Require.notNull("campaign", campaign);
        if (!campaign.chainId().equals(chainId)) {
            throw new IllegalArgumentException("campaign.chainId " + campaign.chainId() + " is not the chain this gateway"
                    + " serves (" + chainId + ")");
        }
        return new UnsignedCall(chainId, factory,
                Abi.createCollection(CampaignKey.of(campaign.id()), campaign.name(), campaign.symbol(), campaign.baseUri()),
                Wei.ZERO);
    }

    /** The factory's own {@code predictCollection} view, so the answer is the CREATE2 address the factory will use. */
    @Override
    public Address predictCollection(Address creatorWallet, CampaignId campaign) {
        Require.notNull("creatorWallet", creatorWallet);
        Require.notNull("campaign", campaign);
        String answer = call.apply(factory, Abi.predictCollection(creatorWallet, CampaignKey.of(campaign)));
        return Abi.decodeAddress(answer).orElseThrow(() -> new ChainRejectedException(ChainFailure.REVERTED, "factory "
                + factory + " answered predictCollection with nothing: is it a base-nft factory of this version?"));
    }

    /**
     * Mined, succeeded, sent to our factory, and our factory's {@code CollectionCreated} event in its logs: then
     * {@link DeploymentCheck.Deployed} with the collection, creator and campaign key the event names, and the receipt's
     * block. Whether the key is the right campaign's is core's decision.
     */
    @Override
    public DeploymentCheck verifyDeployment(TxHash deployTransaction) {
        Require.notNull("deployTransaction", deployTransaction);
        Optional<TransactionReceipt> found = receipts.read("eth_getTransactionReceipt", List.of(deployTransaction.value()),
                EthGetTransactionReceipt.class).getTransactionReceipt();
        if (found.isEmpty()) {
            return new DeploymentCheck.NotMined();
        }
        TransactionReceipt receipt = found.get();
        if (receipt.getTo() == null || !Address.parse(receipt.getTo()).equals(factory)) {
            return new DeploymentCheck.Rejected("transaction " + deployTransaction + " was sent to "
                    + (receipt.getTo() == null ? "no address (a contract creation)" : Address.parse(receipt.getTo()))
                    + ", not to our factory " + factory);
        }
        if (!receipt.isStatusOK()) {
            return new DeploymentCheck.Rejected("transaction " + deployTransaction + " to our factory reverted (block "
                    + receipt.getBlockNumber() + ")");
        }
        for (Log log : receipt.getLogs()) {
            List<String> topics = log.getTopics();
            if (log.getAddress() != null && Address.parse(log.getAddress()).equals(factory) && topics.size() == 4
                    && topics.getFirst().equalsIgnoreCase(Abi.COLLECTION_CREATED_TOPIC)) {
                return new DeploymentCheck.Deployed(Abi.addressFromWord(topics.get(2)), Abi.addressFromWord(topics.get(1)),
                        new CampaignKey(topics.get(3)), receipt.getBlockNumber().longValueExact());
            }
        }
        return new DeploymentCheck.Rejected("transaction " + deployTransaction
                + " to our factory emitted no CollectionCreated event");
    }

    @Override
    public boolean minterHasRole(Address collection) {
        Require.notNull("collection", collection);
        return Abi.decodeBool(call.apply(collection, Abi.hasRole(Abi.MINTER_ROLE, minter)));
    }
}
