package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.Wei;
import java.math.BigInteger;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.PlanningConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.Batches}: all-or-nothing planning, leases that exactly one worker holds
 * and that lapse by the claimant's clock, conditional writes a worker that lost its lease cannot make, and completion that
 * records every recipient's token.
 */
public abstract class BatchesContract extends StorageContract {

    @Test
    void namesTheCampaignOfABatchAndNoneForAnUnknownBatch() {
        Campaign campaign = newCampaign();
        Campaign other = newCampaign();
        Batch batch = batchOf(campaign.id(), addRecipients(campaign.id(), 2));
        Batch elsewhere = batchOf(other.id(), addRecipients(other.id(), 1));
        store.batches().savePlanned(List.of(batch));
        store.batches().savePlanned(List.of(elsewhere));

        assertThat(store.batches().campaignOf(batch.id())).contains(campaign.id());
        assertThat(store.batches().campaignOf(elsewhere.id())).contains(other.id());
        assertThat(store.batches().campaignOf(new BatchId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void savesPlannedBatchesAndMovesTheirRecipientsToProcessing() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 5);
        Batch first = batchOf(campaign.id(), addresses.subList(0, 3));
        Batch second = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), first.index() + 1,
                addresses.subList(3, 5), T0);

        store.batches().savePlanned(List.of(first, second));

        assertThat(store.batches().find(first.id())).contains(first);
        assertThat(store.batches().byCampaign(campaign.id())).containsExactly(first, second);
        assertThat(store.batches().nextIndex(campaign.id())).isEqualTo(2);
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PROCESSING, 5L)
                .containsEntry(RecipientStatus.PENDING, 0L);
    }

    @Test
    void startsIndexesAtZeroAndFollowsTheHighest() {
        Campaign campaign = newCampaign();
        assertThat(store.batches().nextIndex(campaign.id())).isZero();

        List<Address> addresses = addRecipients(campaign.id(), 2);
        store.batches().savePlanned(List.of(Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 6,
                addresses, T0)));

        assertThat(store.batches().nextIndex(campaign.id())).isEqualTo(7);
    }

    @Test
    void savesNothingWhenAnIndexIsTaken() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 4);
        Batch existing = batchOf(campaign.id(), addresses.subList(0, 1));
        store.batches().savePlanned(List.of(existing));
        Batch fine = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 1, addresses.subList(1, 2), T0);
        Batch clashing = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 0, addresses.subList(2, 4), T0);

        assertThatThrownBy(() -> store.batches().savePlanned(List.of(fine, clashing)))
                .isInstanceOf(PlanningConflictException.class);

        assertThat(store.batches().byCampaign(campaign.id())).containsExactly(existing);
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(addresses.subList(1, 4));
    }

    @Test
    void savesNothingWhenARecipientIsNoLongerPending() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 4);
        store.batches().savePlanned(List.of(batchOf(campaign.id(), addresses.subList(0, 2))));
        Batch fine = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 1, addresses.subList(2, 4), T0);
        Batch replanned = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 2, addresses.subList(1, 2), T0);

        assertThatThrownBy(() -> store.batches().savePlanned(List.of(fine, replanned)))
                .isInstanceOf(PlanningConflictException.class);

        assertThat(store.batches().byCampaign(campaign.id())).hasSize(1);
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(addresses.subList(2, 4));
    }

    @Test
    void claimMovesAPendingBatchToProcessingAndCountsTheAttempt() {
        Batch batch = plannedBatch(2);

        Optional<Batch> claimed = store.batches().claim(claimAt(batch, "worker-a", T0));

        assertThat(claimed).hasValueSatisfying(b -> {
            assertThat(b.status()).isEqualTo(BatchStatus.PROCESSING);
            assertThat(b.attempts()).isEqualTo(1);
            assertThat(b.recipients()).isEqualTo(batch.recipients());
        });
        assertThat(store.batches().find(batch.id())).isEqualTo(claimed);
    }

    @Test
    void refusesAClaimWhileAnotherWorkersLeaseRuns() {
        Batch batch = plannedBatch(1);
        store.batches().claim(claimAt(batch, "worker-a", T0));

        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE).minusSeconds(1)))).isEmpty();
        assertThat(store.batches().find(batch.id()).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void letsTheHolderClaimAgainAndCountsIt() {
        Batch batch = plannedBatch(1);
        store.batches().claim(claimAt(batch, "worker-a", T0));

        Optional<Batch> again = store.batches().claim(claimAt(batch, "worker-a", T0.plusSeconds(10)));

        assertThat(again).hasValueSatisfying(b -> assertThat(b.attempts()).isEqualTo(2));
    }

    @Test
    void letsAnotherWorkerTakeOverOnceTheLeaseLapsed() {
        Batch batch = plannedBatch(1);
        store.batches().claim(claimAt(batch, "worker-a", T0));

        Optional<Batch> takenOver = store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE)));

        assertThat(takenOver).hasValueSatisfying(b -> {
            assertThat(b.status()).isEqualTo(BatchStatus.PROCESSING);
            assertThat(b.attempts()).isEqualTo(2);
        });
    }

    @Test
    void keepsAWorkerThatLostItsLeaseFromWriting() {
        Batch batch = plannedBatch(2);
        Claim stale = claimAt(batch, "worker-a", T0);
        store.batches().claim(stale);
        Claim current = claimAt(batch, "worker-b", T0.plus(LEASE).plusSeconds(1));
        store.batches().claim(current);

        assertThat(store.batches().release(stale)).isFalse();
        assertThat(store.batches().fail(stale, "stale worker's error")).isFalse();

        Batch now = store.batches().find(batch.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(BatchStatus.PROCESSING);
        assertThat(now.error()).isEmpty();
        assertThat(store.batches().claim(claimAt(batch, "worker-c", current.now().plusSeconds(1))))
                .as("worker-b still holds the lease").isEmpty();
        assertThat(store.batches().release(current)).isTrue();
    }

    @Test
    void releaseReturnsAProcessingBatchToPendingAndFreesItsLease() {
        Batch batch = plannedBatch(1);
        Claim claim = claimAt(batch, "worker-a", T0);
        store.batches().claim(claim);

        assertThat(store.batches().release(claim)).isTrue();

        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PENDING);
        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plusSeconds(1)))).isPresent();
        assertThat(store.batches().release(claim)).as("released once, not held any more").isFalse();
    }

    @Test
    void releaseKeepsASubmittedBatchSubmitted() {
        Batch batch = plannedBatch(1);
        Claim claim = claimAt(batch, "worker-a", T0);
        store.batches().claim(claim);
        Address wallet = randomAddress();
        store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));

        assertThat(store.batches().release(claim)).isTrue();

        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plusSeconds(1)))).isPresent();
    }

    @Test
    void releaseWithAReasonShowsWhyASubmittedBatchWaitsUntilItCompletes() {
        Batch batch = plannedBatch(1);
        Claim claim = claimAt(batch, "worker-a", T0);
        store.batches().claim(claim);
        Address wallet = randomAddress();
        store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));

        assertThat(store.batches().release(claim, Optional.of("fate unknown: RPC unavailable"))).isTrue();

        Batch waiting = store.batches().find(batch.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(waiting.error()).contains("fate unknown: RPC unavailable");
        Claim next = claimAt(batch, "worker-b", T0.plusSeconds(1));
        assertThat(store.batches().claim(next)).isPresent();
        assertThat(store.batches().release(next)).isTrue();
        assertThat(store.batches().find(batch.id()).orElseThrow().error()).as("a plain release keeps the reason")
                .contains("fate unknown: RPC unavailable");

        assertThat(store.batches().complete(batch.id(), receiptFor(batch, 7))).isTrue();
        assertThat(store.batches().find(batch.id()).orElseThrow().error()).isEmpty();
    }

    @Test
    void completeRecordsTheReceiptOnTheBatchAndEveryRecipient() {
        Batch batch = plannedBatch(3);
        store.batches().claim(claimAt(batch, "worker-a", T0));
        MintReceipt receipt = receiptFor(batch, 101);

        assertThat(store.batches().complete(batch.id(), receipt)).isTrue();

        Batch completed = store.batches().find(batch.id()).orElseThrow();
        assertThat(completed.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(completed.blockNumber()).contains(receipt.blockNumber());
        assertThat(completed.gasUsed()).contains(receipt.gasUsed());
        for (MintedToken token : receipt.tokens()) {
            Recipient recipient = store.recipients().find(batch.campaignId(), token.to()).orElseThrow();
            assertThat(recipient.status()).isEqualTo(RecipientStatus.COMPLETED);
            assertThat(recipient.tokenId()).contains(token.tokenId());
            assertThat(recipient.txHash()).contains(receipt.hash());
        }
    }

    @Test
    void completeRecordsWhatTheMintCostAndFeesPaidSumsItOverTheCampaign() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 5);
        Batch onBase = batchOf(campaign.id(), addresses.subList(0, 2));
        store.batches().savePlanned(List.of(onBase));
        Batch onAnvil = batchOf(campaign.id(), addresses.subList(2, 4));
        store.batches().savePlanned(List.of(onAnvil));
        Batch unknown = batchOf(campaign.id(), addresses.subList(4, 5));
        store.batches().savePlanned(List.of(unknown));
        assertThat(store.batches().feesPaid(campaign.id())).isEqualTo(FeesPaid.NONE);
        // Prices beyond a long: wei are numeric(78, 0), never truncated.
        Wei hugePrice = new Wei(BigInteger.TEN.pow(30));
        ReceiptFees base = new ReceiptFees(hugePrice, Optional.of(Wei.of(777)));
        ReceiptFees anvil = new ReceiptFees(Wei.gwei(2), Optional.empty());

        store.batches().claim(claimAt(onBase, "worker-a", T0));
        store.batches().complete(onBase.id(), withFees(receiptFor(onBase, 1), base));
        store.batches().claim(claimAt(onAnvil, "worker-a", T0));
        store.batches().complete(onAnvil.id(), withFees(receiptFor(onAnvil, 3), anvil));
        store.batches().claim(claimAt(unknown, "worker-a", T0));
        store.batches().complete(unknown.id(), receiptFor(unknown, 5));

        Batch paidOnBase = store.batches().find(onBase.id()).orElseThrow();
        long baseGas = paidOnBase.gasUsed().orElseThrow();
        assertThat(paidOnBase.fees()).contains(base);
        assertThat(paidOnBase.feePaid()).contains(hugePrice.times(baseGas).plus(Wei.of(777)));
        assertThat(store.batches().find(onAnvil.id()).orElseThrow().fees()).contains(anvil);
        assertThat(store.batches().find(unknown.id()).orElseThrow().fees()).isEmpty();
        long anvilGas = store.batches().find(onAnvil.id()).orElseThrow().gasUsed().orElseThrow();
        assertThat(store.batches().feesPaid(campaign.id())).isEqualTo(new FeesPaid(2, 1, baseGas + anvilGas,
                hugePrice.times(baseGas).plus(Wei.gwei(2).times(anvilGas)), Wei.of(777)));
        assertThat(store.batches().feesPaid(newCampaign().id())).as("another campaign").isEqualTo(FeesPaid.NONE);
    }

    @Test
    void overviewsArePagesInIndexOrderWithTheirCountsAndFees() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 6);
        List<Batch> planned = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Batch batch = batchOf(campaign.id(), addresses.subList(i * 2, i * 2 + 2));
            store.batches().savePlanned(List.of(batch));
            planned.add(batch);
        }
        ReceiptFees fees = new ReceiptFees(Wei.gwei(1), Optional.of(Wei.of(5)));
        store.batches().claim(claimAt(planned.get(1), "worker-a", T0));
        store.batches().complete(planned.get(1).id(), withFees(receiptFor(planned.get(1), 1), fees));
        newCampaign();

        List<BatchOverview> first = store.batches().overviews(campaign.id(), Optional.empty(), 2);
        List<BatchOverview> rest = store.batches().overviews(campaign.id(), Optional.of(first.getLast().index()), 2);

        assertThat(first).containsExactly(BatchOverview.of(planned.get(0)),
                BatchOverview.of(store.batches().find(planned.get(1).id()).orElseThrow()));
        assertThat(first.get(1).fees()).contains(fees);
        assertThat(first.get(1).recipientCount()).isEqualTo(2);
        assertThat(rest).containsExactly(BatchOverview.of(planned.get(2)));
        assertThat(store.batches().overviews(campaign.id(), Optional.of(2), 2)).isEmpty();
        assertThatThrownBy(() -> store.batches().overviews(campaign.id(), Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.batches().overviews(campaign.id(), Optional.empty(), 10_001))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MintReceipt withFees(MintReceipt r, ReceiptFees fees) {
        return new MintReceipt(r.hash(), r.succeeded(), r.blockNumber(), r.gasUsed(), r.tokens(), r.failure(),
                r.blockHash(), Optional.of(fees));
    }

    @Test
    void completeNeedsNoLeaseAndHappensOnce() {
        Batch batch = plannedBatch(2);
        store.batches().claim(claimAt(batch, "worker-a", T0));
        MintReceipt receipt = receiptFor(batch, 1);

        // Another worker (not the lease holder) settles it: a mined receipt is a fact.
        assertThat(store.batches().complete(batch.id(), receipt)).isTrue();
        assertThat(store.batches().complete(batch.id(), receiptFor(batch, 50))).isFalse();

        Recipient first = store.recipients().find(batch.campaignId(), batch.recipients().get(0)).orElseThrow();
        assertThat(first.tokenId()).contains(TokenId.of(1));
        assertThat(first.txHash()).contains(receipt.hash());
        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE).plusSeconds(1))))
                .as("a COMPLETED batch is never claimed again").isEmpty();
    }

    @Test
    void completeRefusesTokensThatDoNotCoverEveryRecipientAndChangesNothing() {
        Batch batch = plannedBatch(3);
        store.batches().claim(claimAt(batch, "worker-a", T0));
        MintReceipt full = receiptFor(batch, 1);
        MintReceipt missingOne = new MintReceipt(full.hash(), true, full.blockNumber(), full.gasUsed(),
                full.tokens().subList(0, 2), ChainFailure.NONE);
        List<MintedToken> doubled = new ArrayList<>(full.tokens().subList(0, 2));
        doubled.add(new MintedToken(batch.recipients().get(0), TokenId.of(99)));
        MintReceipt oneTwice = new MintReceipt(full.hash(), true, full.blockNumber(), full.gasUsed(), doubled,
                ChainFailure.NONE);

        assertThatThrownBy(() -> store.batches().complete(batch.id(), missingOne))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.batches().complete(batch.id(), oneTwice))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);
        assertThat(store.recipients().countByStatus(batch.campaignId())).containsEntry(RecipientStatus.PROCESSING, 3L);
    }

    @Test
    void listsTheOpenBatchesOfEveryCampaignInIdOrderPageByPage() {
        Batch pending = plannedBatch(1);
        Batch processing = plannedBatch(1);
        store.batches().claim(claimAt(processing, "worker-a", T0));
        Batch failed = plannedBatch(1);
        Claim failing = claimAt(failed, "worker-a", T0);
        store.batches().claim(failing);
        store.batches().fail(failing, "Transaction reverted: contract is paused");

        // Other tests may share the store: page through all of it with a small page, then look at ours.
        List<Batch> all = everyPage((after, size) -> store.batches().open(after, size));

        List<BatchId> ids = all.stream().map(Batch::id).toList();
        assertThat(ids).doesNotHaveDuplicates().isSorted();
        assertThat(ids).contains(pending.id(), processing.id()).doesNotContain(failed.id());
        assertThat(all).allSatisfy(b -> assertThat(b.status()).isNotIn(BatchStatus.COMPLETED, BatchStatus.FAILED));
        assertThat(all.stream().filter(b -> b.id().equals(processing.id())).findFirst().orElseThrow().status())
                .isEqualTo(BatchStatus.PROCESSING);
    }

    @Test
    void listsTheFailedBatchesWithTheirErrorsPageByPage() {
        Batch open = plannedBatch(1);
        Batch failed = plannedBatch(1);
        Claim failing = claimAt(failed, "worker-a", T0);
        store.batches().claim(failing);
        store.batches().fail(failing, "Transaction reverted: contract is paused");

        List<Batch> all = everyPage((after, size) -> store.batches().failed(after, size));

        assertThat(all).extracting(Batch::id).doesNotHaveDuplicates().isSorted().contains(failed.id())
                .doesNotContain(open.id());
        assertThat(all).allSatisfy(b -> assertThat(b.status()).isEqualTo(BatchStatus.FAILED));
        assertThat(all.stream().filter(b -> b.id().equals(failed.id())).findFirst().orElseThrow().error())
                .contains("Transaction reverted: contract is paused");
        assertThatThrownBy(() -> store.batches().failed(Optional.empty(), 0)).hasMessageContaining("limit");
    }

    /** Pages of two through a keyset-paginated listing until an empty page, checking each page's size. */
    private static List<Batch> everyPage(java.util.function.BiFunction<Optional<BatchId>, Integer, List<Batch>> listing) {
        List<Batch> all = new ArrayList<>();
        Optional<BatchId> after = Optional.empty();
        for (List<Batch> page = listing.apply(after, 2); !page.isEmpty(); page = listing.apply(after, 2)) {
            assertThat(page).hasSizeLessThanOrEqualTo(2);
            all.addAll(page);
            after = Optional.of(page.getLast().id());
        }
        return all;
    }

    @Test
    void refusesAnOpenBatchPageSizeOutOfRange() {
        assertThatThrownBy(() -> store.batches().open(Optional.empty(), 0)).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.batches().open(Optional.empty(), 10_001)).hasMessageContaining("limit");
    }

    @Test
    void failMarksTheBatchAndItsRecipientsWithTheError() {
        Batch batch = plannedBatch(2);
        Claim claim = claimAt(batch, "worker-a", T0);
        store.batches().claim(claim);

        assertThat(store.batches().fail(claim, "Transaction reverted: contract is paused")).isTrue();

        Batch failed = store.batches().find(batch.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.error()).contains("Transaction reverted: contract is paused");
        for (Address address : batch.recipients()) {
            Recipient r = store.recipients().find(batch.campaignId(), address).orElseThrow();
            assertThat(r.status()).isEqualTo(RecipientStatus.FAILED);
            assertThat(r.lastError()).contains("Transaction reverted: contract is paused");
        }
        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE).plusSeconds(1)))).isEmpty();
    }

    @Test
    void requeueGivesAFailedBatchANewRunAndItsRecipientsBack() {
        Batch batch = plannedBatch(2);
        Claim claim = claimAt(batch, "worker-a", T0);
        store.batches().claim(claim);
        store.batches().fail(claim, "RPC timeout after all retries exhausted");

        Optional<Batch> requeued = store.batches().requeue(batch.id());

        assertThat(requeued).hasValueSatisfying(b -> {
            assertThat(b.status()).isEqualTo(BatchStatus.PENDING);
            assertThat(b.run()).isEqualTo(batch.run() + 1);
            assertThat(b.jobId()).isNotEqualTo(batch.jobId());
            assertThat(b.key()).isEqualTo(batch.key());
            assertThat(b.recipients()).isEqualTo(batch.recipients());
        });
        assertThat(store.recipients().countByStatus(batch.campaignId())).containsEntry(RecipientStatus.PROCESSING, 2L)
                .containsEntry(RecipientStatus.FAILED, 0L);
        assertThat(store.batches().requeue(batch.id())).as("only a FAILED batch is requeued").isEmpty();
        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plusSeconds(5)))).isPresent();
    }

    @Test
    void requeueLeavesOpenAndCompletedBatchesAlone() {
        Batch pending = plannedBatch(1);
        Batch completed = plannedBatch(1);
        store.batches().claim(claimAt(completed, "worker-a", T0));
        store.batches().complete(completed.id(), receiptFor(completed, 1));

        assertThat(store.batches().requeue(pending.id())).isEmpty();
        assertThat(store.batches().requeue(completed.id())).isEmpty();
        assertThat(store.batches().find(completed.id()).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void claimsNothingForAnUnknownBatch() {
        Batch unsaved = batchOf(newCampaign().id(), List.of(randomAddress()));

        assertThat(store.batches().claim(claimAt(unsaved, "worker-a", T0))).isEmpty();
        assertThat(store.batches().find(unsaved.id())).isEmpty();
    }

    @Test
    void countsEveryBatchStatus() {
        Campaign campaign = newCampaign();
        assertThat(store.batches().countByStatus(campaign.id())).containsOnlyKeys(BatchStatus.values())
                .allSatisfy((s, n) -> assertThat(n).isZero());

        List<Address> addresses = addRecipients(campaign.id(), 3);
        Batch a = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 0, addresses.subList(0, 1), T0);
        Batch b = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 1, addresses.subList(1, 2), T0);
        Batch c = Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), 2, addresses.subList(2, 3), T0);
        store.batches().savePlanned(List.of(a, b, c));
        store.batches().claim(claimAt(b, "w", T0));
        Claim failing = claimAt(c, "w", T0);
        store.batches().claim(failing);
        store.batches().fail(failing, "reverted");

        assertThat(store.batches().countByStatus(campaign.id())).isEqualTo(Map.of(BatchStatus.PENDING, 1L,
                BatchStatus.PROCESSING, 1L, BatchStatus.SUBMITTED, 0L, BatchStatus.COMPLETED, 0L, BatchStatus.FAILED, 1L,
                BatchStatus.CANCELLED, 0L));
    }

    @Test
    void letsEachBatchBeClaimedByExactlyOneOfEightRacingWorkers() throws Exception {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 40);
        List<Batch> planned = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            planned.add(Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), i, addresses.subList(i, i + 1), T0));
        }
        store.batches().savePlanned(planned);
        Map<BatchId, String> winners = new ConcurrentHashMap<>();
        AtomicInteger doubleWins = new AtomicInteger();

        race(8, i -> {
            String worker = "worker-" + i;
            for (Batch batch : planned) {
                if (store.batches().claim(new Claim(batch.id(), worker, T0, T0.plus(LEASE))).isPresent()
                        && winners.putIfAbsent(batch.id(), worker) != null) {
                    doubleWins.incrementAndGet();
                }
            }
            return null;
        });

        assertThat(doubleWins).hasValue(0);
        assertThat(winners).hasSize(40);
        assertThat(store.batches().byCampaign(campaign.id()))
                .allSatisfy(b -> assertThat(b.attempts()).as("claimed once").isEqualTo(1));
    }

    @Test
    void judgesLeaseExpiryByTheClaimantsTime() {
        Batch batch = plannedBatch(1);
        Instant later = T0.plus(LEASE).plusSeconds(3_600);
        store.batches().claim(claimAt(batch, "worker-a", later));

        assertThat(store.batches().claim(claimAt(batch, "worker-b", later.plusSeconds(30))))
                .as("the lease runs from the claim's now, whatever the store's own clock says").isEmpty();
        assertThat(store.batches().claim(claimAt(batch, "worker-b", later.plus(LEASE)))).isPresent();
    }

    @Test
    void leavesAPendingBatchOfAPausedOrCancelledCampaignUnclaimedWithoutCountingAnAttempt() {
        Batch paused = plannedBatch(1);
        moveCampaign(paused.campaignId(), CampaignStatus.PAUSED);
        Batch cancelled = plannedBatch(1);
        moveCampaign(cancelled.campaignId(), CampaignStatus.CANCELLED);

        assertThat(store.batches().claim(claimAt(paused, "worker-a", T0))).isEmpty();
        assertThat(store.batches().claim(claimAt(cancelled, "worker-a", T0))).isEmpty();
        assertThat(store.batches().find(paused.id()).orElseThrow().attempts()).isZero();

        store.campaigns().updateStatus(paused.campaignId(), CampaignStatus.PAUSED, CampaignStatus.PROCESSING);
        assertThat(store.batches().claim(claimAt(paused, "worker-a", T0))).hasValueSatisfying(
                b -> assertThat(b.status()).isEqualTo(BatchStatus.PROCESSING));
    }

    @Test
    void letsASubmittedBatchOfAPausedCampaignBeClaimedSoItFinishes() {
        Batch batch = plannedBatch(1);
        moveCampaign(batch.campaignId(), CampaignStatus.PROCESSING);
        Claim first = claimAt(batch, "worker-a", T0);
        store.batches().claim(first);
        Address wallet = randomAddress();
        store.ledger().writeAhead(first, wallet, nonce -> signedTx(wallet, nonce, 3));
        store.campaigns().updateStatus(batch.campaignId(), CampaignStatus.PROCESSING, CampaignStatus.PAUSED);

        assertThat(store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE)))).hasValueSatisfying(
                b -> assertThat(b.status()).isEqualTo(BatchStatus.SUBMITTED));
    }

    @Test
    void cancelPendingCancelsOnlyWhatNobodyHoldsOrSignedAndReturnsItsRecipients() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 6);
        Batch pending = batchOf(campaign.id(), addresses.subList(0, 2));
        store.batches().savePlanned(List.of(pending));
        Batch held = batchOf(campaign.id(), addresses.subList(2, 4));
        store.batches().savePlanned(List.of(held));
        Batch signed = batchOf(campaign.id(), addresses.subList(4, 6));
        store.batches().savePlanned(List.of(signed));
        store.batches().claim(claimAt(held, "worker-a", T0));
        Claim signing = claimAt(signed, "worker-b", T0);
        store.batches().claim(signing);
        Address wallet = randomAddress();
        store.ledger().writeAhead(signing, wallet, nonce -> signedTx(wallet, nonce, 3));
        moveCampaign(campaign.id(), CampaignStatus.CANCELLED);

        assertThat(store.batches().cancelPending(campaign.id())).isEqualTo(1);

        assertThat(store.batches().find(pending.id()).orElseThrow().status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(store.batches().find(held.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);
        assertThat(store.batches().find(signed.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(addresses.subList(0, 2));
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 2L)
                .containsEntry(RecipientStatus.PROCESSING, 4L);
        assertThat(store.batches().countByStatus(campaign.id())).containsEntry(BatchStatus.CANCELLED, 1L)
                .containsEntry(BatchStatus.PENDING, 0L);
        assertThat(store.campaigns().findWithSummary(campaign.id()).orElseThrow().summary().recipients())
                .containsEntry(RecipientStatus.PENDING, 2L).containsEntry(RecipientStatus.PROCESSING, 4L);
        assertThat(store.batches().open(Optional.empty(), 10_000)).extracting(Batch::id).doesNotContain(pending.id());
        assertThat(store.batches().claim(claimAt(pending, "worker-c", T0))).isEmpty();
        List<ExportedRecipient> exported = new ArrayList<>();
        store.recipients().export(campaign.id(), exported::add);
        assertThat(exported.subList(0, 2)).allSatisfy(row -> assertThat(row.batchIndex()).isEmpty());
        // Idempotent: nothing more to cancel.
        assertThat(store.batches().cancelPending(campaign.id())).isZero();
        // The returned recipients can be planned again, into a new batch.
        Batch replanned = batchOf(campaign.id(), addresses.subList(0, 2));
        store.batches().savePlanned(List.of(replanned));
        assertThat(replanned.index()).isEqualTo(3);
        exported.clear();
        store.recipients().export(campaign.id(), exported::add);
        assertThat(exported).hasSize(6);
        assertThat(exported.subList(0, 2)).allSatisfy(row -> assertThat(row.batchIndex()).contains(3));
    }

    @Test
    void withdrawCancelsAHeldUnsignedBatchForItsLeaseHolderOnly() {
        Batch batch = plannedBatch(2);
        Claim holder = claimAt(batch, "worker-a", T0);
        store.batches().claim(holder);

        assertThat(store.batches().withdraw(claimAt(batch, "worker-b", T0))).isFalse();
        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);

        assertThat(store.batches().withdraw(holder)).isTrue();
        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(store.recipients().pending(batch.campaignId(), 10)).containsExactlyInAnyOrderElementsOf(
                batch.recipients());
        assertThat(store.batches().withdraw(holder)).isFalse();
    }

    @Test
    void withdrawNeverCancelsASignedBatch() {
        Batch batch = plannedBatch(1);
        Claim holder = claimAt(batch, "worker-a", T0);
        store.batches().claim(holder);
        Address wallet = randomAddress();
        store.ledger().writeAhead(holder, wallet, nonce -> signedTx(wallet, nonce, 3));

        assertThat(store.batches().withdraw(holder)).isFalse();
        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
    }

    private static List<BatchId> newIds(int count) {
        List<BatchId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(new BatchId(UUID.randomUUID()));
        }
        return ids;
    }

    @Test
    void planNextCutsTheFirstUnplannedRecipientsInUploadOrderIntoConsecutiveBatches() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 7);
        List<BatchId> ids = newIds(4);

        List<PlannedBatch> planned = store.batches().planNext(campaign.id(), 0, ids, 3, T0);

        assertThat(planned).extracting(PlannedBatch::index).containsExactly(0, 1, 2);
        assertThat(planned).extracting(PlannedBatch::id).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(planned).extracting(PlannedBatch::size).containsExactly(3, 3, 1);
        assertThat(planned).allSatisfy(p -> {
            assertThat(p.campaignId()).isEqualTo(campaign.id());
            assertThat(p.run()).isZero();
        });
        List<Batch> stored = stored(planned);
        assertThat(stored).extracting(Batch::recipients).containsExactly(addresses.subList(0, 3), addresses.subList(3, 6),
                addresses.subList(6, 7));
        assertThat(stored).allSatisfy(b -> {
            assertThat(b.status()).isEqualTo(BatchStatus.PENDING);
            assertThat(b.key()).isEqualTo(dev.basenft.core.model.BatchKey.derive(campaign.id(), b.index()));
            assertThat(b.updatedAt()).isEqualTo(T0);
        });
        assertThat(stored).extracting(Batch::jobId).containsExactlyElementsOf(planned.stream().map(PlannedBatch::jobId)
                .toList());
        assertThat(store.recipients().pending(campaign.id(), 10)).isEmpty();
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PROCESSING, 7L)
                .containsEntry(RecipientStatus.PENDING, 0L);
        assertThat(store.batches().planNext(campaign.id(), 3, newIds(1), 3, T0)).as("nothing left").isEmpty();
    }

    @Test
    void planNextTakesNoMoreThanItsIdsHoldAndTheNextCallGoesOnFromThere() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 10);

        List<PlannedBatch> first = store.batches().planNext(campaign.id(), 0, newIds(2), 3, T0);
        assertThat(stored(first)).extracting(Batch::recipients).containsExactly(addresses.subList(0, 3), addresses.subList(3, 6));
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(addresses.subList(6, 10));
        List<Address> later = addRecipients(campaign.id(), 1);

        List<PlannedBatch> next = store.batches().planNext(campaign.id(), 2, newIds(5), 3, T0);

        assertThat(next).extracting(PlannedBatch::index).containsExactly(2, 3);
        assertThat(next).extracting(PlannedBatch::size).containsExactly(3, 2);
        assertThat(stored(next)).extracting(Batch::recipients).containsExactly(addresses.subList(6, 9),
                List.of(addresses.get(9), later.getFirst()));
    }

    @Test
    void planNextPlansTheRecipientsOfCancelledBatchesAgainInUploadOrderWithTheUnplannedOnes() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 4);
        store.batches().planNext(campaign.id(), 0, newIds(1), 2, T0);
        assertThat(store.batches().cancelPending(campaign.id())).isOne();
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(addresses);

        List<PlannedBatch> again = store.batches().planNext(campaign.id(), 1, newIds(2), 2, T0);

        assertThat(stored(again)).extracting(Batch::recipients).containsExactly(addresses.subList(0, 2), addresses.subList(2, 4));
        assertThat(store.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PROCESSING, 4L)
                .containsEntry(RecipientStatus.PENDING, 0L);
        assertThat(store.recipients().pending(campaign.id(), 10)).isEmpty();
    }

    @Test
    void planNextOnATakenIndexIsAConflictThatStoresNothing() {
        Campaign campaign = newCampaign();
        List<Address> addresses = addRecipients(campaign.id(), 4);
        store.batches().savePlanned(List.of(batchOf(campaign.id(), addresses.subList(0, 1))));

        assertThatThrownBy(() -> store.batches().planNext(campaign.id(), 0, newIds(2), 2, T0))
                .isInstanceOf(PlanningConflictException.class);

        assertThat(store.batches().byCampaign(campaign.id())).hasSize(1);
        assertThat(store.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(addresses.subList(1, 4));
    }

    @Test
    void planNextRefusesBadArgumentsNamingThem() {
        Campaign campaign = newCampaign();
        addRecipients(campaign.id(), 2);

        assertThatThrownBy(() -> store.batches().planNext(campaign.id(), 0, List.of(), 2, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids");
        assertThatThrownBy(() -> store.batches().planNext(campaign.id(), -1, newIds(1), 2, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstIndex");
        assertThatThrownBy(() -> store.batches().planNext(campaign.id(), 0, newIds(1), 0, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> store.batches().planNext(newCampaignIdNotStored(), 0, newIds(1), 2, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThat(store.recipients().pending(campaign.id(), 10)).hasSize(2);
    }

    /** The stored batches that {@code planned} reports, read whole, in its order. */
    private List<Batch> stored(List<PlannedBatch> planned) {
        return planned.stream().map(p -> store.batches().find(p.id()).orElseThrow()).toList();
    }

    private static dev.basenft.core.model.CampaignId newCampaignIdNotStored() {
        return new dev.basenft.core.model.CampaignId(UUID.randomUUID());
    }
}
