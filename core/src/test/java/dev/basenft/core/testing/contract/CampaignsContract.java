package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Fid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.Campaigns}: stored as given, one per id, listed per owner by keyset
 * pages in {@link CampaignId} order, and changed only by conditional updates that a racing caller cannot both win.
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

    @Test
    void attachesAContractOnlyOnce() {
        Campaign campaign = newCampaign();
        Address first = randomAddress();

        assertThat(store.campaigns().attachContract(campaign.id(), first)).isTrue();
        assertThat(store.campaigns().attachContract(campaign.id(), randomAddress())).isFalse();
        assertThat(store.campaigns().find(campaign.id()).orElseThrow().contract()).contains(first);
        assertThat(store.campaigns().attachContract(new CampaignId(UUID.randomUUID()), first)).isFalse();
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
    void keepsEveryOtherFieldWhenStatusAndContractChange() {
        Campaign campaign = newCampaign();
        Address contract = randomAddress();

        store.campaigns().attachContract(campaign.id(), contract);
        store.campaigns().updateStatus(campaign.id(), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);

        assertThat(store.campaigns().find(campaign.id())).contains(
                campaign.withContract(contract).withStatus(CampaignStatus.PROCESSING));
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

        List<Boolean> wins = race(8, i -> store.campaigns().attachContract(campaign.id(), candidates.get(i)));

        assertThat(wins).containsOnlyOnce(true);
        assertThat(store.campaigns().find(campaign.id()).orElseThrow().contract())
                .contains(candidates.get(wins.indexOf(true)));
    }
}
