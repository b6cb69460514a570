package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Values for the adapter's own tests. Stateless; thread-safe. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {
    }

    static Address randomAddress() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1;
        return Address.ofBytes(bytes);
    }

    static TxHash randomHash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return new TxHash("0x" + HexFormat.of().formatHex(bytes));
    }

    static SignedTransaction signedTx(Address wallet, long nonce) {
        return new SignedTransaction(randomHash(), "0x02f8aa", wallet, nonce, 300_000, new Fees(Wei.gwei(3), Wei.gwei(1)));
    }

    static CampaignId newCampaignId() {
        return new CampaignId(UUID.randomUUID());
    }

    static Campaign newCampaign(PostgresStorage storage) {
        Campaign campaign = Campaign.draft(new CampaignId(UUID.randomUUID()), new Fid(7), "Adapter test", "AT", "", "",
                ChainId.BASE, T0);
        storage.campaigns().create(campaign);
        return campaign;
    }

    static List<Address> addRecipients(PostgresStorage storage, CampaignId campaign, int count) {
        List<Address> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add(randomAddress());
        }
        storage.recipients().addAll(campaign, addresses.stream().map(NewRecipient::of).iterator());
        return addresses;
    }

    /** {@code count} saved batches of one recipient each, at indexes 0…count-1 of a new campaign. */
    static List<Batch> plannedBatches(PostgresStorage storage, int count) {
        Campaign campaign = newCampaign(storage);
        List<Address> addresses = addRecipients(storage, campaign.id(), count);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batches.add(Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), i, addresses.subList(i, i + 1), T0));
        }
        storage.batches().savePlanned(batches);
        return batches;
    }
}
