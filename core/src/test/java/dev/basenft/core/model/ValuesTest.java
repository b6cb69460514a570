package dev.basenft.core.model;

import static dev.basenft.core.model.ModelFixtures.ALICE;
import static dev.basenft.core.model.ModelFixtures.BOB;
import static dev.basenft.core.model.ModelFixtures.CAMPAIGN;
import static dev.basenft.core.model.ModelFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.DistributionJob;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The records validate themselves, naming the parameter at fault. */
class ValuesTest {

    @Test
    void ordersIdsAsUnsignedNumbersLikeTheirTextAndPostgresql() {
        CampaignId high = CampaignId.parse("80000000-0000-0000-0000-000000000000");
        CampaignId low = CampaignId.parse("10000000-0000-0000-0000-000000000000");

        assertThat(high).isGreaterThan(low);
        assertThat(BatchId.parse("ffffffff-ffff-ffff-ffff-ffffffffffff"))
                .isGreaterThan(BatchId.parse("00000000-0000-0000-8000-000000000000"));

        Random random = new Random(7);
        List<CampaignId> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(new CampaignId(new UUID(random.nextLong(), random.nextLong())));
        }
        assertThat(ids.stream().sorted().map(CampaignId::toString).toList())
                .isEqualTo(ids.stream().map(CampaignId::toString).sorted().toList());
    }

    @Test
    void parsesIdsNamingTheKindWhenTheTextIsNoUuid() {
        assertThat(CampaignId.parse(" c0000000-0000-0000-0000-000000000001 ")).isEqualTo(CAMPAIGN);
        assertThatThrownBy(() -> CampaignId.parse("nope")).hasMessageContaining("campaignId is not a UUID: 'nope'");
        assertThatThrownBy(() -> BatchId.parse("1-1-1-1-1")).hasMessageContaining("batchId");
        assertThatThrownBy(() -> BatchId.parse(null)).hasMessageContaining("batchId must not be null");
        assertThatThrownBy(() -> new CampaignId(null)).hasMessageContaining("campaignId must not be null");
    }

    @Test
    void aPlannedBatchHasTheJobIdOfItsBatchAndRefusesBadValuesNamingThem() {
        Batch batch = ModelFixtures.batch(List.of(ALICE, BOB));
        PlannedBatch planned = new PlannedBatch(batch.id(), CAMPAIGN, 0, 0, 2);

        assertThat(planned.jobId()).isEqualTo(batch.jobId());
        assertThat(new PlannedBatch(batch.id(), CAMPAIGN, 0, 1, 2).jobId()).isNotEqualTo(batch.jobId());
        assertThatThrownBy(() -> new PlannedBatch(null, CAMPAIGN, 0, 0, 2)).hasMessageContaining("id");
        assertThatThrownBy(() -> new PlannedBatch(batch.id(), null, 0, 0, 2)).hasMessageContaining("campaignId");
        assertThatThrownBy(() -> new PlannedBatch(batch.id(), CAMPAIGN, -1, 0, 2)).hasMessageContaining("index");
        assertThatThrownBy(() -> new PlannedBatch(batch.id(), CAMPAIGN, 0, -1, 2)).hasMessageContaining("run");
        assertThatThrownBy(() -> new PlannedBatch(batch.id(), CAMPAIGN, 0, 0, 0)).hasMessageContaining("size");
    }

    @Test
    void batchNeedsDistinctRecipientsAndDerivesItsKeyAndJobId() {
        Batch batch = ModelFixtures.batch(List.of(ALICE, BOB));

        assertThat(batch.key()).isEqualTo(BatchKey.derive(CAMPAIGN, 0));
        assertThat(batch.jobId()).isEqualTo("batch_b0000000-0000-0000-0000-000000000001_0").doesNotContain(":");
        assertThat(batch.status()).isEqualTo(BatchStatus.PENDING);
        assertThatThrownBy(() -> ModelFixtures.batch(List.of(ALICE, ALICE))).hasMessageContaining("address twice");
        assertThatThrownBy(() -> ModelFixtures.batch(List.of())).hasMessageContaining("at least one recipient");
        assertThatThrownBy(() -> Batch.planned(batch.id(), CAMPAIGN, -1, List.of(ALICE), T0))
                .hasMessageContaining("index must not be negative");
    }

    @Test
    void campaignValidatesItsTextNamingTheField() {
        assertThatThrownBy(() -> Campaign.draft(CAMPAIGN, new Fid(1), " ", "S", null, null, ChainId.BASE, T0))
                .hasMessage("name must not be blank");
        assertThatThrownBy(() -> Campaign.draft(CAMPAIGN, new Fid(1), "N", "S".repeat(17), null, null, ChainId.BASE, T0))
                .hasMessage("symbol must have at most 16 characters, got 17");
        assertThatThrownBy(() -> Campaign.draft(CAMPAIGN, new Fid(1), "N\u0007", "S", null, null, ChainId.BASE, T0))
                .hasMessageContaining("name must not contain control characters");
        Campaign campaign = Campaign.draft(CAMPAIGN, new Fid(1), "  Drop ", "DRP", null, null, ChainId.BASE, T0);
        assertThat(campaign.name()).isEqualTo("Drop");
        assertThat(campaign.description()).isEmpty();
    }

    @Test
    void campaignTakesItsContractOnceAndNeverTheZeroAddress() {
        Campaign campaign = ModelFixtures.campaignIn(CampaignStatus.DRAFT);
        Campaign attached = campaign.withCollection(CollectionDeployment.of(ALICE, BOB, 12));

        assertThat(attached.contract()).contains(ALICE);
        assertThat(attached.collection().orElseThrow().creatorWallet()).contains(BOB);
        assertThat(attached.collection().orElseThrow().deployBlock()).contains(12L);
        assertThatThrownBy(() -> attached.withCollection(CollectionDeployment.of(BOB, BOB, 13)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has contract");
        assertThatThrownBy(() -> CollectionDeployment.of(Address.ZERO, BOB, 1)).isInstanceOf(InvalidAddressException.class);
        assertThatThrownBy(() -> CollectionDeployment.of(ALICE, BOB, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deployBlock");
    }

    @Test
    void completedRecipientNeedsItsTokenAndHash() {
        assertThatThrownBy(() -> new Recipient(CAMPAIGN, ALICE, Optional.empty(), RecipientStatus.COMPLETED,
                Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("COMPLETED recipient needs its tokenId and txHash");
    }

    @Test
    void weiBumpsRoundUpSoATenPercentRaiseIsNeverShort() {
        assertThat(Wei.of(101).bumpedByPercent(10)).isEqualTo(Wei.of(112));
        assertThat(Wei.of(100).bumpedByPercent(10)).isEqualTo(Wei.of(110));
        assertThat(Wei.gwei(2)).isEqualTo(new Wei(BigInteger.valueOf(2_000_000_000L)));
        assertThatThrownBy(() -> Wei.of(-1)).hasMessageContaining("non-negative");
    }

    @Test
    void feesFollowTheBaseFeeRuleAndReplacementsNeverUnderbidTheMarket() {
        Fees fees = Fees.forBaseFee(Wei.gwei(1), Wei.of(100));
        assertThat(fees.maxFeePerGas()).isEqualTo(Wei.gwei(2).plus(Wei.of(100)));

        Fees bumped = fees.bumped(12, Fees.forBaseFee(Wei.of(1), Wei.of(1)));
        assertThat(bumped.maxFeePerGas()).isEqualTo(fees.maxFeePerGas().bumpedByPercent(12));
        assertThat(bumped.maxPriorityFeePerGas()).isEqualTo(Wei.of(112));

        Fees market = Fees.forBaseFee(Wei.gwei(10), Wei.gwei(1));
        assertThat(fees.bumped(12, market)).isEqualTo(market);
        assertThat(fees.maxCost(21_000)).isEqualTo(fees.maxFeePerGas().times(21_000));
        assertThatThrownBy(() -> new Fees(Wei.of(1), Wei.of(2))).hasMessageContaining("must not exceed maxFeePerGas");
    }

    @Test
    void receiptSucceedsExactlyWhenItsFailureIsNone() {
        TxHash hash = new TxHash("0x" + "ab".repeat(32));

        assertThatThrownBy(() -> new MintReceipt(hash, true, 1, 1, List.of(), ChainFailure.PAUSED))
                .hasMessageContaining("NONE exactly when it succeeded");
        assertThatThrownBy(() -> new MintReceipt(hash, false, 1, 1, List.of(), ChainFailure.NONE))
                .hasMessageContaining("NONE exactly when it succeeded");
    }

    @Test
    void signedTransactionNeedsHexRawBytesAndSaneNumbers() {
        TxHash hash = new TxHash("0x" + "AB".repeat(32));
        Fees fees = Fees.forBaseFee(Wei.gwei(1), Wei.gwei(1));

        assertThat(hash.value()).isEqualTo("0x" + "ab".repeat(32));
        assertThatThrownBy(() -> new SignedTransaction(hash, "02ab", ALICE, 0, 1, fees)).hasMessageContaining("raw");
        assertThatThrownBy(() -> new SignedTransaction(hash, "0xzz", ALICE, 0, 1, fees))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignedTransaction(hash, "0x02", ALICE, -1, 1, fees))
                .hasMessageContaining("nonce must not be negative");
        assertThatThrownBy(() -> new SignedTransaction(hash, "0x02", ALICE, 0, 0, fees))
                .hasMessageContaining("gasLimit must be positive");
    }

    @Test
    void claimMustEndAfterItStartsAndJobKnowsItsLastAttempt() {
        BatchId id = ModelFixtures.batch(List.of(ALICE)).id();

        assertThatThrownBy(() -> new Claim(id, "w", T0, T0)).hasMessageContaining("until must be after now");
        assertThatThrownBy(() -> new Claim(id, " ", T0, T0.plusSeconds(1))).hasMessageContaining("worker must not be blank");
        assertThat(new DistributionJob("j", id, 1, 3, "lock").isLastAttempt()).isFalse();
        assertThat(new DistributionJob("j", id, 2, 3, "lock").isLastAttempt()).isTrue();
        assertThatThrownBy(() -> new DistributionJob("j", id, 0, 0, "lock")).hasMessageContaining("maxAttempts");
    }

    @Test
    void summaryNeedsEveryStatus() {
        Map<RecipientStatus, Long> recipients = new EnumMap<>(RecipientStatus.class);
        for (RecipientStatus s : RecipientStatus.values()) {
            recipients.put(s, 0L);
        }
        Map<BatchStatus, Long> batches = new EnumMap<>(BatchStatus.class);
        for (BatchStatus s : BatchStatus.values()) {
            batches.put(s, 0L);
        }
        assertThat(new BatchSummary(recipients, batches).batches()).hasSize(6);

        batches.remove(BatchStatus.SUBMITTED);
        assertThatThrownBy(() -> new BatchSummary(recipients, batches)).hasMessageContaining("batches counts lack SUBMITTED");
    }

    @Test
    void positiveNumbersNameThemselves() {
        assertThatThrownBy(() -> new Fid(0)).hasMessageContaining("fid must be a positive number");
        assertThatThrownBy(() -> new ChainId(0)).hasMessageContaining("chainId must be positive");
        assertThatThrownBy(() -> TokenId.of(-1)).hasMessageContaining("tokenId must be a non-negative integer");
        assertThat(List.of(TokenId.of(3), TokenId.of(1)).stream().sorted(Comparator.naturalOrder()).toList())
                .containsExactly(TokenId.of(1), TokenId.of(3));
    }

    @Test
    void argumentChecksCarryTheArgumentNameAsData() {
        assertThatThrownBy(() -> Require.text("symbol", " ", 1, 16))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo("symbol"))
                .hasMessage("symbol must not be blank");
        assertThatThrownBy(() -> Require.positive("lease", Duration.ZERO))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo("lease"))
                .hasMessage("lease must be a positive duration, got PT0S");
        assertThatThrownBy(() -> Require.positive("lease", (Duration) null))
                .hasMessage("lease must be a positive duration, got null");
        assertThatThrownBy(() -> Require.between("lock", Duration.ofHours(2), Duration.ofMillis(100), Duration.ofHours(1)))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo("lock"))
                .hasMessage("lock must be between PT0.1S and PT1H, got PT2H");
        assertThatThrownBy(() -> Require.atLeast("threads", 0, 1)).hasMessage("threads must be at least 1, got 0");
    }

    @Test
    void campaignKeyIsTheUuidInTheLowSixteenBytesAndReadsBack() {
        CampaignId id = CampaignId.parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");

        CampaignKey key = CampaignKey.of(id);

        assertThat(key.value()).isEqualTo("0x" + "0".repeat(32) + "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        assertThat(key.campaignId()).contains(id);
        assertThat(CampaignKey.of(new CampaignId(new UUID(-1, -1))).campaignId()).contains(new CampaignId(new UUID(-1, -1)));
        assertThat(new CampaignKey("0x01" + "0".repeat(30) + "0f1e2d3c4b5a69788796a5b4c3d2e1f0").campaignId())
                .as("a key the engine never makes names no campaign").isEmpty();
        assertThat(new CampaignKey("0x" + "AB".repeat(32)).value()).isEqualTo("0x" + "ab".repeat(32));
        assertThatThrownBy(() -> new CampaignKey("0x1234")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("campaignKey");
        assertThatThrownBy(() -> CampaignKey.of(null)).hasMessage("campaign must not be null");
    }
}
