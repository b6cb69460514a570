package dev.basenft.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Small, valid model values for unit tests. */
final class ModelFixtures {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Address ALICE = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    static final Address BOB = Address.parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    static final CampaignId CAMPAIGN = new CampaignId(UUID.fromString("c0000000-0000-0000-0000-000000000001"));

    private ModelFixtures() {
    }

    static Campaign campaignIn(CampaignStatus status) {
        return new Campaign(CAMPAIGN, new Fid(7), "Drop", "DRP", "", "ipfs://x/", ChainId.BASE, Optional.empty(), status,
                T0);
    }

    static Batch batch(List<Address> recipients) {
        return Batch.planned(new BatchId(UUID.fromString("b0000000-0000-0000-0000-000000000001")), CAMPAIGN, 0, recipients,
                T0);
    }
}
