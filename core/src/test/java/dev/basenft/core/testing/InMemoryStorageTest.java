package dev.basenft.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.IllegalTransitionException;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.CampaignStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the ports leave a case open, the in-memory store is strict; these pin that down. */
class InMemoryStorageTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryStorage storage = new InMemoryStorage(clock);
    private final SequentialIds ids = new SequentialIds();
    private final Address alice = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");

    private Campaign campaign() {
        Campaign campaign = Campaign.draft(ids.newCampaignId(), new Fid(1), "Drop", "DRP", "", "", ChainId.BASE,
                clock.instant());
        storage.campaigns().create(campaign);
        return campaign;
    }

    @Test
    void refusesAnIllegalCampaignStatusChange() {
        Campaign campaign = campaign();

        assertThatThrownBy(() -> storage.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT,
                CampaignStatus.COMPLETED)).isInstanceOf(IllegalTransitionException.class);
        assertThat(storage.campaigns().find(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.DRAFT);
    }

    @Test
    void refusesToCompleteABatchNoWorkerEverClaimed() {
        Campaign campaign = campaign();
        storage.recipients().addAll(campaign.id(), List.of(NewRecipient.of(alice)).iterator());
        Batch batch = Batch.planned(ids.newBatchId(), campaign.id(), 0, List.of(alice), clock.instant());
        storage.batches().savePlanned(List.of(batch));
        MintReceipt receipt = new MintReceipt(new TxHash("0x" + "aa".repeat(32)), true, 1, 1,
                List.of(new MintedToken(alice, TokenId.of(1))), ChainFailure.NONE);

        assertThatThrownBy(() -> storage.batches().complete(batch.id(), receipt))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void refusesRecipientsForAnUnknownCampaign() {
        assertThatThrownBy(() -> storage.recipients().addAll(ids.newCampaignId(),
                List.of(NewRecipient.of(alice)).iterator())).hasMessageContaining("does not exist");
    }

    @Test
    void stampsStoredTransactionsWithItsClock() {
        Campaign campaign = campaign();
        storage.recipients().addAll(campaign.id(), List.of(NewRecipient.of(alice)).iterator());
        Batch batch = Batch.planned(ids.newBatchId(), campaign.id(), 0, List.of(alice), clock.instant());
        storage.batches().savePlanned(List.of(batch));
        var claim = new dev.basenft.core.port.out.Claim(batch.id(), "w", clock.instant(),
                clock.instant().plusSeconds(60));
        storage.batches().claim(claim);
        clock.advance(java.time.Duration.ofSeconds(42));
        FakeChain chain = new FakeChain();

        var stored = storage.ledger().writeAhead(claim, chain.minter(), nonce -> chain.signMint(
                dev.basenft.core.model.MintCall.of(alice, batch), nonce,
                new dev.basenft.core.model.MintQuote(100_000, chain.currentFees())));

        assertThat(stored.recordedAt()).isEqualTo(clock.instant());
        assertThat(storage.leaseHolder(batch.id())).contains("w");
    }
}
