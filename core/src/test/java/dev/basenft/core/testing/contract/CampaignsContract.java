package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BatchSummary;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.port.out.Campaigns.Attachment;
import dev.basenft.core.port.out.Campaigns.CampaignWithSummary;
import dev.basenft.core.port.out.Claim;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.Campaigns}: stored as given, one per id, listed per owner by keyset
 * pages in {@link CampaignId} order, summarised with counts that agree with the recipient and batch ports, changed only
 * by conditional updates that a racing caller cannot both win, and one collection to one campaign per chain.
 */
public abstract class CampaignsContract extends StorageContract {

    @Test
    void storesACampaignAndFindsItUnchanged() {
        Campaign campaign = newCampaign();

        assertThat(store.campaigns().find(campaign.id())).contains(campaign);
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertThat(store.campaigns().find(new CampaignId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void findsNoSummaryForAnUnknownId() {
        assertThat(store.campaigns().findWithSummary(new CampaignId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void summarisesANewCampaignWithEveryCountZero() {
        Campaign campaign = newCampaign();

        CampaignWithSummary found = store.campaigns().findWithSummary(campaign.id()).orElseThrow();

        assertThat(found.campaign()).isEqualTo(campaign);
        assertThat(found.summary().recipients()).containsOnlyKeys(RecipientStatus.values())
                .allSatisfy((s, n) -> assertThat(n).isZero());
        assertThat(found.summary().batches()).containsOnlyKeys(BatchStatus.values())
                .allSatisfy((s, n) -> assertThat(n).isZero());
    }

    /**
     * Every batch status and every recipient status at once, reached only through the ports (so a store that derives
     * recipient counts from its batches is held to what the recipients themselves say), with batches of different sizes so
     * a count of batches cannot pass for a count of recipients.
     */
    @Test
    void summarisesEveryStatusAsTheRecipientAndBatchCountsSeeIt() {
        Campaign campaign = newCampaign();
        Campaign other = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 20);
        addRecipients(other.id(), 4);
        store.batches().savePlanned(List.of(batchOf(other.id(), addRecipients(other.id(), 3))));
        Batch completed = plan(campaign.id(), addresses.subList(0, 4));
        Batch failed = plan(campaign.id(), addresses.subList(4, 7));
        Batch submitted = plan(campaign.id(), addresses.subList(7, 9));
        Batch processing = plan(campaign.id(), addresses.subList(9, 10));
        plan(campaign.id(), addresses.subList(10, 12)); // stays PENDING
        Batch retried = plan(campaign.id(), addresses.subList(12, 15));
        Claim completing = claimAt(completed, "w", T0);
        store.batches().claim(completing);
        store.batches().complete(completed.id(), receiptFor(completed, 1));
        fail(failed);
        Claim submitting = claimAt(submitted, "w", T0);
        store.batches().claim(submitting);
        Address wallet = randomAddress();
        store.ledger().writeAhead(submitting, wallet, nonce -> signedTx(wallet, nonce, 3));
        store.batches().claim(claimAt(processing, "w", T0));
        fail(retried);
        store.batches().requeue(retried.id());
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);

        CampaignWithSummary found = store.campaigns().findWithSummary(campaign.id()).orElseThrow();

        assertThat(found.campaign()).isEqualTo(store.campaigns().find(campaign.id()).orElseThrow());
        assertThat(found.summary()).isEqualTo(new BatchSummary(Map.of(RecipientStatus.PENDING, 5L,
                RecipientStatus.PROCESSING, 8L, RecipientStatus.COMPLETED, 4L, RecipientStatus.FAILED, 3L),
                Map.of(BatchStatus.PENDING, 2L, BatchStatus.PROCESSING, 1L, BatchStatus.SUBMITTED, 1L,
                        BatchStatus.COMPLETED, 1L, BatchStatus.FAILED, 1L, BatchStatus.CANCELLED, 0L)));
        assertThat(found.summary()).isEqualTo(new BatchSummary(store.recipients().countByStatus(campaign.id()),
                store.batches().countByStatus(campaign.id())));
    }

    private Batch plan(CampaignId campaign, List<Address> recipients) {
        Batch batch = batchOf(campaign, recipients);
        store.batches().savePlanned(List.of(batch));
        return batch;
    }

    private void fail(Batch batch) {
        Claim claim = claimAt(batch, "w", T0);
        store.batches().claim(claim);
        store.batches().fail(claim, "execution reverted");
    }

    @Test
    void refusesASecondCampaignWithTheSameIdAndKeepsTheFirst() {
        Campaign first = newCampaign();
        Campaign impostor = Campaign.draft(first.id(), randomOwner(), "Other", "OT", "", "", first.chainId(), T0);

        assertThatThrownBy(() -> store.campaigns().create(impostor)).isInstanceOf(IllegalStateException.class);
        assertThat(store.campaigns().find(first.id())).contains(first);
    }

    @Test
    void listsAnOwnersCampaignsInKeysetPagesWithoutGapsOrRepeats() {
        Fid owner = randomOwner();
        List<Campaign> mine = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            mine.add(newCampaign(owner));
        }
        for (int i = 0; i < 3; i++) {
            newCampaign(randomOwner());
        }
        mine.sort(Comparator.comparing(Campaign::id));

        List<Campaign> seen = new ArrayList<>();
        Optional<CampaignId> after = Optional.empty();
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            List<Campaign> page = store.campaigns().listByOwner(owner, after, 10);
            if (page.isEmpty()) {
                break;
            }
            pageSizes.add(page.size());
            seen.addAll(page);
            after = Optional.of(page.getLast().id());
        }

        assertThat(pageSizes).containsExactly(10, 10, 5);
        assertThat(seen).containsExactlyElementsOf(mine);
    }

    @Test
    void listsNothingForAnOwnerWithoutCampaigns() {
        newCampaign();

        assertThat(store.campaigns().listByOwner(randomOwner(), Optional.empty(), 10)).isEmpty();
    }

    private static CollectionDeployment deployment(Address collection) {
        return CollectionDeployment.of(collection, randomAddress(), 1234);
    }

    @Test
    void attachesACollectionOnlyOnceAndKeepsItsCreatorAndBlock() {
        Campaign campaign = newCampaign();
        Address first = randomAddress();
        Address creator = randomAddress();

        assertThat(store.campaigns().attachCollection(campaign.id(), CollectionDeployment.of(first, creator, 987_654_321L)))
                .isEqualTo(new Attachment.Attached());
        assertThat(store.campaigns().attachCollection(campaign.id(), deployment(randomAddress())))
                .isEqualTo(new Attachment.CampaignHasCollection(first));
        assertThat(store.campaigns().attachCollection(campaign.id(), deployment(first)))
                .as("the same collection again").isEqualTo(new Attachment.CampaignHasCollection(first));
        assertThat(store.campaigns().find(campaign.id()).orElseThrow().collection())
                .contains(CollectionDeployment.of(first, creator, 987_654_321L));
        assertThat(store.campaigns().findWithSummary(campaign.id()).orElseThrow().campaign().collection())
                .contains(CollectionDeployment.of(first, creator, 987_654_321L));
        assertThat(store.campaigns().attachCollection(new CampaignId(UUID.randomUUID()), deployment(randomAddress())))
                .isEqualTo(new Attachment.NoSuchCampaign());
    }

    @Test
    void attachesOneCollectionToOneCampaignPerChain() {
        Campaign holder = newCampaign();
        Campaign other = newCampaign();
        Campaign elsewhere = Campaign.draft(new CampaignId(UUID.randomUUID()), randomOwner(), "Elsewhere", "ELS", "", "",
                new ChainId(84532), T0);
        store.campaigns().create(elsewhere);
        Address collection = randomAddress();
        store.campaigns().attachCollection(holder.id(), deployment(collection));

        assertThat(store.campaigns().attachCollection(other.id(), deployment(collection)))
                .isEqualTo(new Attachment.CollectionTaken(holder.id()));
        assertThat(store.campaigns().find(other.id())).contains(other);
        assertThat(store.campaigns().attachCollection(elsewhere.id(), deployment(collection)))
                .as("the same address on another chain is another contract").isEqualTo(new Attachment.Attached());
    }

    @Test
    void keepsACollectionWithoutCreatorOrBlock() {
        Campaign campaign = newCampaign();
        CollectionDeployment legacy = new CollectionDeployment(randomAddress(), Optional.empty(), Optional.empty());

        store.campaigns().attachCollection(campaign.id(), legacy);

        assertThat(store.campaigns().find(campaign.id()).orElseThrow().collection()).contains(legacy);
    }

    @Test
    void changesStatusOnlyFromTheExpectedOne() {
        Campaign campaign = newCampaign();

        assertThat(store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING)).isTrue();
        assertThat(store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING)).isFalse();
        assertThat(store.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.FAILED)).isTrue();
        assertThat(store.campaigns().find(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.FAILED);
        assertThat(store.campaigns().updateStatus(new CampaignId(UUID.randomUUID()), CampaignStatus.DRAFT,
                CampaignStatus.PROCESSING)).isFalse();
    }

    @Test
    void keepsThePauseAndCancelStatesAndLeavesThemOnlyFromTheExpectedOne() {
        Campaign campaign = newCampaign();
        moveCampaign(campaign.id(), CampaignStatus.PAUSED);

        assertThat(store.campaigns().find(campaign.id()).orElseThrow().status()).isEqualTo(CampaignStatus.PAUSED);
        assertThat(store.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING, CampaignStatus.CANCELLED))
                .isFalse();
        assertThat(store.campaigns().updateStatus(campaign.id(), CampaignStatus.PAUSED, CampaignStatus.CANCELLED)).isTrue();
        assertThat(store.campaigns().findWithSummary(campaign.id()).orElseThrow().campaign().status())
                .isEqualTo(CampaignStatus.CANCELLED);
        assertThat(store.campaigns().updateStatus(campaign.id(), CampaignStatus.CANCELLED, CampaignStatus.PROCESSING))
                .isTrue();
    }

    @Test
    void keepsEveryOtherFieldWhenStatusAndContractChange() {
        Campaign campaign = newCampaign();
        Address contract = randomAddress();

        CollectionDeployment deployment = deployment(contract);
        store.campaigns().attachCollection(campaign.id(), deployment);
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);

        assertThat(store.campaigns().find(campaign.id())).contains(
                campaign.withCollection(deployment).withStatus(CampaignStatus.PROCESSING));
    }

    @Test
    void letsExactlyOneOfEightRacingStatusChangesWin() throws Exception {
        Campaign campaign = newCampaign();
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);

        List<Boolean> wins = race(8, i -> store.campaigns().updateStatus(campaign.id(), CampaignStatus.PROCESSING,
                i % 2 == 0 ? CampaignStatus.COMPLETED : CampaignStatus.FAILED));

        assertThat(wins).containsOnlyOnce(true);
        CampaignStatus winner = wins.indexOf(true) % 2 == 0 ? CampaignStatus.COMPLETED : CampaignStatus.FAILED;
        assertThat(store.campaigns().find(campaign.id()).orElseThrow().status()).isEqualTo(winner);
    }

    @Test
    void letsExactlyOneOfEightRacingContractAttachmentsWin() throws Exception {
        Campaign campaign = newCampaign();
        List<Address> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            candidates.add(randomAddress());
        }

        List<Attachment> outcomes = race(8, i -> store.campaigns().attachCollection(campaign.id(),
                deployment(candidates.get(i))));

        List<Boolean> wins = outcomes.stream().map(o -> o instanceof Attachment.Attached).toList();
        assertThat(wins).containsOnlyOnce(true);
        Address winner = candidates.get(wins.indexOf(true));
        assertThat(store.campaigns().find(campaign.id()).orElseThrow().contract()).contains(winner);
        assertThat(outcomes).filteredOn(o -> !(o instanceof Attachment.Attached))
                .containsOnly(new Attachment.CampaignHasCollection(winner));
    }

    @Test
    void letsExactlyOneOfEightCampaignsRacingForOneCollectionHaveIt() throws Exception {
        List<Campaign> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(newCampaign());
        }
        Address collection = randomAddress();

        List<Attachment> outcomes = race(8, i -> store.campaigns().attachCollection(racers.get(i).id(),
                deployment(collection)));

        List<Boolean> wins = outcomes.stream().map(o -> o instanceof Attachment.Attached).toList();
        assertThat(wins).containsOnlyOnce(true);
        Campaign winner = racers.get(wins.indexOf(true));
        assertThat(outcomes).filteredOn(o -> !(o instanceof Attachment.Attached))
                .containsOnly(new Attachment.CollectionTaken(winner.id()));
        for (Campaign racer : racers) {
            assertThat(store.campaigns().find(racer.id()).orElseThrow().contract())
                    .isEqualTo(racer == winner ? Optional.of(collection) : Optional.empty());
        }
    }
}
