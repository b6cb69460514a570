package dev.basenft.torture;

import dev.basenft.adapter.base.rpc.internal.Abi;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.app.config.Settings;
import dev.basenft.app.wiring.Components;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.port.in.AddRecipientsUseCase.AddRecipientsCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachContractCommand;
import dev.basenft.core.port.in.AttachContractUseCase.AttachResult;
import dev.basenft.core.port.in.CreateCampaignUseCase.CreateCampaignCommand;
import dev.basenft.core.port.in.StartDistributionUseCase.DistributionStarted;
import dev.basenft.core.port.in.StartDistributionUseCase.StartDistributionCommand;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A campaign set up the way a creator and the API do it, through the application's own wiring and core's use cases:
 * created, its collection deployed through our factory from the creator's wallet and attached (which checks the minter's
 * role), {@code recipients} fresh addresses added. {@link #distribute()} plans and enqueues the batches, as
 * {@code POST /distribute} does; the worker process under torture does the rest.
 *
 * @param rig the parts it lives on
 * @param id the campaign
 * @param collection its collection contract
 * @param recipients every recipient, in upload order
 * @param minterNonceBefore the minter's on-chain nonce before any of this campaign's batches were sent
 * @param startBlock the chain's head when the campaign was ready, before any of its batches were sent: the minter's
 *     transactions of the distribution are all in later blocks
 */
record TortureCampaign(Rig rig, CampaignId id, Address collection, List<Address> recipients, long minterNonceBefore,
        long startBlock) {

    static final Fid OWNER = new Fid(1);

    TortureCampaign {
        Objects.requireNonNull(rig, "rig");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(collection, "collection");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a campaign needs recipients");
        }
        if (minterNonceBefore < 0) {
            throw new IllegalArgumentException("a nonce is never negative");
        }
        if (startBlock < 0) {
            throw new IllegalArgumentException("a block number is never negative");
        }
    }

    /** Creates the campaign, deploys and attaches its collection, adds {@code count} fresh recipients. Migrates the schema. */
    static TortureCampaign prepare(Rig rig, String name, int count) {
        try (Components app = Components.open(settings(rig), InstantSource.system())) {
            var campaign = app.campaigns().create(new CreateCampaignCommand(OWNER, name, "TRT", "torture test",
                    "ipfs://torture/"));
            DevChain chain = rig.chain;
            // The collection is bound to this campaign by its key, as the API's deploy-transaction call would bind it.
            String deployTx = chain.rpc.sendOk(chain.creator, chain.factory, Abi.createCollection(
                    CampaignKey.of(campaign.id()), name, "TRT", "ipfs://torture/")).get("transactionHash").asText();
            AttachResult attached = app.campaigns().attach(new AttachContractCommand(OWNER, campaign.id(), new TxHash(deployTx)));
            if (!(attached instanceof AttachResult.Attached ok)) {
                throw new IllegalStateException("attaching the collection failed: " + attached);
            }
            List<Address> recipients = DevChain.freshAddresses(count);
            var added = app.campaigns().add(new AddRecipientsCommand(OWNER, campaign.id(),
                    recipients.stream().map(NewRecipient::of).toList()));
            if (added.added() != count) {
                throw new IllegalStateException("expected " + count + " recipients added, got " + added);
            }
            return new TortureCampaign(rig, campaign.id(), ok.campaign().contract().orElseThrow(), recipients,
                    chain.rpc.nonce(chain.minter, "latest"), chain.rpc.blockNumber());
        }
    }

    /** Plans batches of {@code batchSize} and enqueues them ({@code POST /distribute} of a server with that BATCH_SIZE). */
    DistributionStarted distribute(int batchSize) {
        Map<String, String> env = new HashMap<>(rig.environment(rig.chain.anvil.url().toString()));
        env.put("BATCH_SIZE", Integer.toString(batchSize));
        try (Components app = Components.open(Settings.fromEnvironment(env), InstantSource.system())) {
            return app.campaigns().start(new StartDistributionCommand(OWNER, id));
        }
    }

    private static Settings settings(Rig rig) {
        return Settings.fromEnvironment(rig.environment(rig.chain.anvil.url().toString()));
    }
}
