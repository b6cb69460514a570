package dev.basenft.adapter.base.rpc.testing;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.testing.InMemoryStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Work for the worker in the anvil tests: a PROCESSING campaign on anvil's chain with a collection attached, and its planned
 * batches of fresh recipients, stored in core's in-memory storage.
 */
public final class PlannedBatches {

    private PlannedBatches() {
    }

    /** One batch of {@code size} fresh recipients. */
    public static Batch one(InMemoryStorage storage, Address collection, int size) {
        return of(storage, collection, 1, size).getFirst();
    }

    /** {@code count} batches of {@code size} fresh recipients each, in index order. */
    public static List<Batch> of(InMemoryStorage storage, Address collection, int count, int size) {
        Instant now = Instant.now();
        Campaign campaign = Campaign.draft(new CampaignId(UUID.randomUUID()), new Fid(7), "Anvil drop", "AD", "",
                        "ipfs://anvil/", new ChainId(AnvilProcess.CHAIN_ID), now)
                .withCollection(new CollectionDeployment(collection, Optional.empty(), Optional.empty()))
                .withStatus(CampaignStatus.PROCESSING);
        storage.campaigns().create(campaign);
        List<Address> recipients = DevChain.freshAddresses(count * size);
        storage.recipients().addAll(campaign.id(), recipients.stream().map(NewRecipient::of).iterator());
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batches.add(Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), i,
                    recipients.subList(i * size, (i + 1) * size), now));
        }
        storage.batches().savePlanned(batches);
        return batches;
    }
}
