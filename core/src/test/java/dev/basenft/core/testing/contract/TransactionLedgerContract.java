package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.CampaignHaltedException;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.LostClaimException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.TransactionLedger}: the write-ahead is atomic (nonce, signature, stored
 * transaction and {@code → SUBMITTED} together or not at all), nonces are unique and gapless even under races, a stored
 * nonce is never handed out again after a resync, and only the lease holder writes.
 */
public abstract class TransactionLedgerContract extends StorageContract {

    /** A fresh wallet whose counter the test starts at {@code start}, so tests sharing a store stay apart. */
    private Address wallet(long start) {
        Address wallet = randomAddress();
        store.ledger().resyncNonce(wallet, start);
        return wallet;
    }

    private Claim claimed(Batch batch, String worker) {
        Claim claim = claimAt(batch, worker, T0);
        assertThat(store.batches().claim(claim)).isPresent();
        return claim;
    }

    @Test
    void writeAheadAllocatesTheNextNonceStoresTheTransactionAndSubmitsTheBatch() {
        Address wallet = wallet(7);
        Batch batch = plannedBatch(2);
        Claim claim = claimed(batch, "worker-a");
        List<Long> signedAt = new ArrayList<>();

        StoredTransaction stored = store.ledger().writeAhead(claim, wallet, nonce -> {
            signedAt.add(nonce);
            return signedTx(wallet, nonce, 3);
        });

        assertThat(signedAt).containsExactly(7L);
        assertThat(stored.nonce()).isEqualTo(7);
        assertThat(stored.batchId()).isEqualTo(batch.id());
        assertThat(store.ledger().forBatch(batch.id())).containsExactly(stored);
        Batch submitted = store.batches().find(batch.id()).orElseThrow();
        assertThat(submitted.status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(submitted.nonce()).contains(7L);
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(8);
    }

    @Test
    void keepsNothingAndUsesNoNonceWhenTheSignerThrows() {
        Address wallet = wallet(3);
        Batch batch = plannedBatch(1);
        Claim claim = claimed(batch, "worker-a");
        IllegalStateException signerFailure = new IllegalStateException("key unavailable");

        assertThatThrownBy(() -> store.ledger().writeAhead(claim, wallet, nonce -> {
            throw signerFailure;
        })).isSameAs(signerFailure);

        assertThat(store.ledger().forBatch(batch.id())).isEmpty();
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(3);
        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);
        assertThat(store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3)).nonce())
                .as("the nonce the failed attempt had is handed out again").isEqualTo(3);
    }

    @Test
    void refusesATransactionThatDoesNotCarryTheAllocatedNonceOrWallet() {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        Claim claim = claimed(batch, "worker-a");

        assertThatThrownBy(() -> store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce + 1, 3)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.ledger().writeAhead(claim, wallet, nonce -> signedTx(randomAddress(), nonce, 3)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(store.ledger().forBatch(batch.id())).isEmpty();
        assertThat(store.ledger().nextNonce(wallet)).isZero();
    }

    @Test
    void refusesAWriteAheadFromAWorkerThatLostTheLease() {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        Claim stale = claimed(batch, "worker-a");
        store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE).plusSeconds(1)));

        assertThatThrownBy(() -> store.ledger().writeAhead(stale, wallet, nonce -> signedTx(wallet, nonce, 3)))
                .isInstanceOf(LostClaimException.class);

        assertThat(store.ledger().forBatch(batch.id())).isEmpty();
        assertThat(store.ledger().nextNonce(wallet)).isZero();
        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);
    }

    @Test
    void refusesAWriteAheadForAReleasedBatch() {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        Claim claim = claimed(batch, "worker-a");
        store.batches().release(claim);

        assertThatThrownBy(() -> store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3)))
                .isInstanceOf(LostClaimException.class);
        assertThat(store.ledger().nextNonce(wallet)).isZero();
    }

    @Test
    void forBatchesReadsTheTransactionsOfSeveralBatchesAtOnce() {
        Address wallet = wallet(11);
        Batch replaced = plannedBatch(1);
        Claim claim = claimed(replaced, "worker-a");
        StoredTransaction original = store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));
        StoredTransaction bumped = store.ledger().recordReplacement(claim, signedTx(wallet, original.nonce(), 4));
        Batch single = plannedBatch(1);
        StoredTransaction only = store.ledger().writeAhead(claimed(single, "worker-a"), wallet,
                nonce -> signedTx(wallet, nonce, 3));
        Batch unsigned = plannedBatch(1);

        Map<BatchId, List<StoredTransaction>> found = store.ledger().forBatches(List.of(replaced.id(), single.id(),
                unsigned.id()));

        assertThat(found).containsOnlyKeys(replaced.id(), single.id());
        assertThat(found.get(replaced.id())).containsExactly(original, bumped);
        assertThat(found.get(single.id())).containsExactly(only);
        assertThat(store.ledger().forBatches(List.of())).isEmpty();
    }

    @Test
    void storesEachTransactionWithTheRunOfTheBatchItWasSignedIn() {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        Claim first = claimed(batch, "worker-a");
        StoredTransaction original = store.ledger().writeAhead(first, wallet, nonce -> signedTx(wallet, nonce, 3));
        assertThat(store.batches().fail(first, "Transaction reverted: contract is paused")).isTrue();
        assertThat(store.batches().requeue(batch.id())).hasValueSatisfying(b -> assertThat(b.run()).isEqualTo(1));

        Claim second = claimAt(batch, "worker-b", T0.plusSeconds(1));
        assertThat(store.batches().claim(second)).isPresent();
        StoredTransaction retried = store.ledger().writeAhead(second, wallet, nonce -> signedTx(wallet, nonce, 3));
        StoredTransaction replaced = store.ledger().recordReplacement(second, signedTx(wallet, retried.nonce(), 5));

        assertThat(original.run()).isZero();
        assertThat(retried.run()).isEqualTo(1);
        assertThat(replaced.run()).isEqualTo(1);
        assertThat(store.ledger().forBatch(batch.id())).extracting(StoredTransaction::run).containsExactly(0, 1, 1);
    }

    @Test
    void recordsAReplacementOnTheSameNonceAfterTheOriginal() {
        Address wallet = wallet(4);
        Batch batch = plannedBatch(1);
        Claim claim = claimed(batch, "worker-a");
        StoredTransaction original = store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));
        SignedTransaction bumped = signedTx(wallet, 4, 4);

        StoredTransaction replacement = store.ledger().recordReplacement(claim, bumped);

        assertThat(replacement.transaction()).isEqualTo(bumped);
        assertThat(store.ledger().forBatch(batch.id())).containsExactly(original, replacement);
        assertThat(store.ledger().nextNonce(wallet)).as("a replacement allocates no nonce").isEqualTo(5);
        assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
    }

    @Test
    void refusesAReplacementOnAnotherNonceOrWallet() {
        Address wallet = wallet(4);
        Batch batch = plannedBatch(1);
        Claim claim = claimed(batch, "worker-a");
        store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));

        assertThatThrownBy(() -> store.ledger().recordReplacement(claim, signedTx(wallet, 5, 4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.ledger().recordReplacement(claim, signedTx(randomAddress(), 4, 4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.ledger().forBatch(batch.id())).hasSize(1);
    }

    @Test
    void refusesAReplacementFromAWorkerThatLostTheLease() {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        Claim stale = claimed(batch, "worker-a");
        store.ledger().writeAhead(stale, wallet, nonce -> signedTx(wallet, nonce, 3));
        store.batches().claim(claimAt(batch, "worker-b", T0.plus(LEASE).plusSeconds(1)));

        assertThatThrownBy(() -> store.ledger().recordReplacement(stale, signedTx(wallet, 0, 4)))
                .isInstanceOf(LostClaimException.class);
        assertThat(store.ledger().forBatch(batch.id())).hasSize(1);
    }

    @Test
    void findsNothingForABatchWithoutTransactions() {
        assertThat(store.ledger().forBatch(new BatchId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void countsSubmittedBatchesOfTheWalletAsInFlight() {
        Address wallet = wallet(0);
        Address otherWallet = wallet(0);
        Batch first = plannedBatch(1);
        Batch second = plannedBatch(1);
        Batch other = plannedBatch(1);
        Claim firstClaim = claimed(first, "w");
        store.ledger().writeAhead(firstClaim, wallet, nonce -> signedTx(wallet, nonce, 3));
        store.ledger().writeAhead(claimed(second, "w"), wallet, nonce -> signedTx(wallet, nonce, 3));
        store.ledger().writeAhead(claimed(other, "w"), otherWallet, nonce -> signedTx(otherWallet, nonce, 3));

        assertThat(store.ledger().inFlight(wallet)).isEqualTo(2);

        store.batches().complete(first.id(), receiptFor(first, 1));

        assertThat(store.ledger().inFlight(wallet)).isEqualTo(1);
        assertThat(store.ledger().inFlight(otherWallet)).isEqualTo(1);
        assertThat(store.ledger().inFlight(randomAddress())).isZero();
    }

    @Test
    void resyncTakesTheChainsCountOrOnePastTheHighestStoredNonceWhicheverIsLarger() {
        Address wallet = wallet(10);
        Batch batch = plannedBatch(1);
        store.ledger().writeAhead(claimed(batch, "w"), wallet, nonce -> signedTx(wallet, nonce, 3));

        // Nonce 10 is stored but the chain has not seen it (crash before broadcast): it must not be handed out again.
        store.ledger().resyncNonce(wallet, 10);
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(11);

        store.ledger().resyncNonce(wallet, 25);
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(25);

        store.ledger().resyncNonce(wallet, 3);
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(11);
    }

    @Test
    void keepsNonceCountersPerWallet() {
        Address one = wallet(5);
        Address two = wallet(100);
        Batch a = plannedBatch(1);
        Batch b = plannedBatch(1);

        assertThat(store.ledger().writeAhead(claimed(a, "w"), one, nonce -> signedTx(one, nonce, 3)).nonce()).isEqualTo(5);
        assertThat(store.ledger().writeAhead(claimed(b, "w"), two, nonce -> signedTx(two, nonce, 3)).nonce())
                .isEqualTo(100);
        assertThat(store.ledger().nextNonce(one)).isEqualTo(6);
        assertThat(store.ledger().nextNonce(two)).isEqualTo(101);
    }

    @Test
    void theInFlightCapHoldsWhenEightWorkersRaceForThreeSlots() throws Exception {
        Address wallet = wallet(500);
        Address otherWallet = wallet(0);
        store.ledger().writeAhead(claimed(plannedBatch(1), "w"), otherWallet, nonce -> signedTx(otherWallet, nonce, 3));
        List<Claim> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(claimed(plannedBatch(1), "worker-" + i));
        }
        AtomicInteger signed = new AtomicInteger();

        List<Optional<StoredTransaction>> results = race(8, worker -> store.ledger().writeAheadWithin(claims.get(worker),
                wallet, 3, 0, nonce -> {
                    signed.incrementAndGet();
                    return signedTx(wallet, nonce, 3);
                }));

        assertThat(results.stream().filter(Optional::isPresent).count()).as("exactly the cap, however they interleave")
                .isEqualTo(3);
        assertThat(signed).as("no nonce signed for a refused slot").hasValue(3);
        assertThat(results.stream().flatMap(Optional::stream).map(StoredTransaction::nonce).sorted().toList())
                .containsExactly(500L, 501L, 502L);
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(503);
        assertThat(store.ledger().inFlight(wallet)).isEqualTo(3);
        for (int i = 0; i < 8; i++) {
            if (results.get(i).isEmpty()) {
                assertThat(store.batches().find(claims.get(i).batchId()).orElseThrow().status())
                        .as("refused: still PROCESSING, nothing stored").isEqualTo(BatchStatus.PROCESSING);
                assertThat(store.ledger().forBatch(claims.get(i).batchId())).isEmpty();
            }
        }
    }

    @Test
    void theInFlightCapDoesNotCountTheBatchItself() {
        Address wallet = wallet(0);
        Claim claim = claimed(plannedBatch(1), "w");
        store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));

        // A batch signing again on a new nonce (its old one was spent elsewhere) holds its own slot already.
        assertThat(store.ledger().writeAheadWithin(claim, wallet, 1, 0, nonce -> signedTx(wallet, nonce, 3))).isPresent();
    }

    @Test
    void aBatchMinedBelowTheChainsNonceHoldsNoInFlightSlotWhileItWaitsForConfirmations() {
        Address wallet = wallet(40);
        StoredTransaction mined = store.ledger().writeAhead(claimed(plannedBatch(1), "w"), wallet,
                nonce -> signedTx(wallet, nonce, 3));
        Claim next = claimed(plannedBatch(1), "w");

        assertThat(store.ledger().writeAheadWithin(next, wallet, 1, mined.nonce(), nonce -> signedTx(wallet, nonce, 3)))
                .as("its nonce not mined yet: it holds the one slot").isEmpty();
        assertThat(store.ledger().writeAheadWithin(next, wallet, 1, mined.nonce() + 1, nonce -> signedTx(wallet, nonce, 3)))
                .as("mined, only waiting for depth: the slot is free").hasValueSatisfying(tx -> assertThat(tx.nonce())
                        .isEqualTo(mined.nonce() + 1));
    }

    @Test
    void allocatesUniqueGaplessNoncesToEightRacingWorkers() throws Exception {
        Address wallet = wallet(1_000);
        Campaign campaign = newCampaign();
        int perWorker = 10;
        var addresses = addRecipients(campaign.id(), 8 * perWorker);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 8 * perWorker; i++) {
            batches.add(Batch.planned(new BatchId(UUID.randomUUID()), campaign.id(), i, addresses.subList(i, i + 1), T0));
        }
        store.batches().savePlanned(batches);
        AtomicInteger failedSigners = new AtomicInteger();

        List<List<Long>> allocated = race(8, worker -> {
            List<Long> mine = new ArrayList<>();
            for (int k = 0; k < perWorker; k++) {
                Batch batch = batches.get(worker * perWorker + k);
                Claim claim = claimAt(batch, "worker-" + worker, T0);
                store.batches().claim(claim);
                if (k % 3 == 0) {
                    // A signer that fails must not leave a gap behind.
                    try {
                        store.ledger().writeAhead(claim, wallet, nonce -> {
                            throw new IllegalStateException("simulated signer failure");
                        });
                    } catch (IllegalStateException expected) {
                        failedSigners.incrementAndGet();
                    }
                }
                mine.add(store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3)).nonce());
            }
            return mine;
        });

        List<Long> nonces = allocated.stream().flatMap(List::stream).sorted().toList();
        assertThat(failedSigners).hasValue(8 * 4);
        assertThat(nonces).containsExactlyElementsOf(LongStream.range(1_000, 1_000 + 8 * perWorker).boxed().toList());
        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(1_000 + 8 * perWorker);
        for (Batch batch : batches) {
            List<StoredTransaction> stored = store.ledger().forBatch(batch.id());
            assertThat(stored).hasSize(1);
            assertThat(store.batches().find(batch.id()).orElseThrow().nonce()).contains(stored.getFirst().nonce());
        }
    }

    private static FillerTransaction filler(Address wallet, long nonce, String why) {
        byte[] raw = new byte[40];
        ThreadLocalRandom.current().nextBytes(raw);
        return new FillerTransaction(new SignedTransaction(randomHash(), Hex.encode(raw), wallet, nonce,
                FillerTransaction.GAS_LIMIT, new Fees(Wei.gwei(4), Wei.gwei(1))), why, T0);
    }

    @Test
    void listsAWalletsTransactionsFromANonceByNonce() {
        Address wallet = wallet(10);
        Address other = wallet(10);
        Claim first = claimed(plannedBatch(1), "w");
        Claim second = claimed(plannedBatch(1), "w");
        Claim elsewhere = claimed(plannedBatch(1), "w");
        StoredTransaction at10 = store.ledger().writeAhead(first, wallet, nonce -> signedTx(wallet, nonce, 3));
        StoredTransaction at11 = store.ledger().writeAhead(second, wallet, nonce -> signedTx(wallet, nonce, 3));
        StoredTransaction bumped11 = store.ledger().recordReplacement(second, signedTx(wallet, 11, 5));
        store.ledger().writeAhead(elsewhere, other, nonce -> signedTx(other, nonce, 3));

        assertThat(store.ledger().transactionsFrom(wallet, 0)).containsExactly(at10, at11, bumped11);
        assertThat(store.ledger().transactionsFrom(wallet, 11)).containsExactly(at11, bumped11);
        assertThat(store.ledger().transactionsFrom(wallet, 12)).isEmpty();
        assertThatThrownBy(() -> store.ledger().transactionsFrom(wallet, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsFillersOnceAndListsThemByNonce() {
        Address wallet = wallet(20);
        FillerTransaction at5 = filler(wallet, 5, "nonce 5 was a gap behind failed batch X");
        FillerTransaction at3 = filler(wallet, 3, "nonce 3 had no transaction");

        FillerTransaction stored5 = store.ledger().recordFiller(at5);
        FillerTransaction stored3 = store.ledger().recordFiller(at3);
        FillerTransaction again = store.ledger().recordFiller(at5);

        assertThat(stored5.transaction()).isEqualTo(at5.transaction());
        assertThat(stored5.reason()).isEqualTo(at5.reason());
        assertThat(stored5.recordedAt()).isEqualTo(T0);
        assertThat(again).isEqualTo(stored5);
        assertThat(store.ledger().fillersFrom(wallet, 0)).containsExactly(stored3, stored5);
        assertThat(store.ledger().fillersFrom(wallet, 4)).containsExactly(stored5);
        assertThat(store.ledger().fillersFrom(randomAddress(), 0)).isEmpty();
        assertThat(store.ledger().nextNonce(wallet)).as("a filler allocates nothing").isEqualTo(20);
    }

    @Test
    void refusesAFillerOnANonceNeverHandedOut() {
        Address wallet = wallet(4);

        assertThatThrownBy(() -> store.ledger().recordFiller(filler(wallet, 4, "ahead of the counter")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4");
        assertThat(store.ledger().fillersFrom(wallet, 0)).isEmpty();
    }

    @Test
    void aResyncNeverHandsOutAFilledNonceAgainButLowersACounterThatDriftedAboveEverything() {
        Address wallet = wallet(50);
        store.ledger().recordFiller(filler(wallet, 42, "gap"));

        store.ledger().resyncNonce(wallet, 30);

        assertThat(store.ledger().nextNonce(wallet)).isEqualTo(43);
    }

    @Test
    void refusesToSignAHeldBatchOfAPausedOrCancelledCampaignAndUsesNoNonce() {
        for (CampaignStatus halted : List.of(CampaignStatus.PAUSED, CampaignStatus.CANCELLED)) {
            Address wallet = wallet(4);
            Batch batch = plannedBatch(1);
            moveCampaign(batch.campaignId(), CampaignStatus.PROCESSING);
            Claim claim = claimed(batch, "worker-a");
            store.campaigns().updateStatus(batch.campaignId(), CampaignStatus.PROCESSING, halted);

            assertThatThrownBy(() -> store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3)))
                    .isInstanceOfSatisfying(CampaignHaltedException.class, e -> assertThat(e.status()).isEqualTo(halted));

            assertThat(store.ledger().nextNonce(wallet)).isEqualTo(4);
            assertThat(store.ledger().forBatch(batch.id())).isEmpty();
            assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);
        }
    }

    @Test
    void keepsSigningForABatchThatWasSignedBeforeItsCampaignHalted() {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        moveCampaign(batch.campaignId(), CampaignStatus.PROCESSING);
        Claim claim = claimed(batch, "worker-a");
        StoredTransaction first = store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3));
        store.campaigns().updateStatus(batch.campaignId(), CampaignStatus.PROCESSING, CampaignStatus.CANCELLED);

        // A replacement on the same nonce, and a new nonce once the old one is known spent: both finish the batch.
        store.ledger().recordReplacement(claim, signedTx(wallet, first.nonce(), 5));
        assertThat(store.ledger().writeAhead(claim, wallet, nonce -> signedTx(wallet, nonce, 3)).nonce()).isEqualTo(1);
    }

    @Test
    void aPauseWaitsForAWriteAheadInProgressSoTheyNeverInterleave() throws Exception {
        Address wallet = wallet(0);
        Batch batch = plannedBatch(1);
        moveCampaign(batch.campaignId(), CampaignStatus.PROCESSING);
        Claim claim = claimed(batch, "worker-a");
        java.util.concurrent.ExecutorService pauser = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<Boolean>> pause =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean pausedWhileSigning = new java.util.concurrent.atomic.AtomicBoolean();
            StoredTransaction stored = store.ledger().writeAhead(claim, wallet, nonce -> {
                // Signing happens inside the write-ahead; a pause started now must wait for it to end.
                pause.set(pauser.submit(() -> store.campaigns().updateStatus(batch.campaignId(),
                        CampaignStatus.PROCESSING, CampaignStatus.PAUSED)));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pausedWhileSigning.set(pause.get().isDone());
                return signedTx(wallet, nonce, 3);
            });

            assertThat(pausedWhileSigning).as("the pause finished while the batch was being signed").isFalse();
            assertThat(pause.get().get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(stored.nonce()).isZero();
            assertThat(store.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
        } finally {
            pauser.shutdownNow();
        }
    }
}
