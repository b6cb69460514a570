package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A batch that meets a full in-flight cap waits in its thread for a slot instead of being delayed by {@code waitDelay}. */
class InFlightSlotTest {

    private static final DistributionSettings ONE_IN_FLIGHT = DistributionSettings.builder().maxInFlight(1).batchSize(1)
            .build();

    @Test
    void aBatchAtAFullCapTakesTheSlotAsSoonAsItFrees() {
        Harness capped = new Harness(ONE_IN_FLIGHT);
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        assertThat(capped.process(batches.get(0))).as("pending: it holds the only slot")
                .isInstanceOf(BatchOutcome.Delayed.class);
        AtomicInteger pauses = new AtomicInteger();
        Sleeper firstMinedOnThirdPause = pause -> {
            capped.clock.advance(pause);
            if (pauses.incrementAndGet() == 3) {
                capped.chain.automine(true);
                capped.chain.mine();
                assertThat(capped.process(batches.get(0))).as("another worker settles the first batch")
                        .isInstanceOf(BatchOutcome.Completed.class);
            }
        };
        Instant start = capped.clock.instant();

        BatchOutcome second = capped.worker(firstMinedOnThirdPause).process(Harness.firstAttempt(batches.get(1)));

        assertThat(second).as("minted in the same call, not handed back to the queue").isInstanceOf(BatchOutcome.Completed.class);
        assertThat(pauses).hasValue(3);
        assertThat(Duration.between(start, capped.clock.instant())).as("three short pauses, not a waitDelay")
                .isLessThan(Duration.ofSeconds(1)).isLessThan(ONE_IN_FLIGHT.waitDelay());
        assertThat(capped.storage.ledger().forBatch(batches.get(1).id())).as("one transaction signed").hasSize(1);
        capped.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aBatchThatWaitedForASlotIsSignedWithTheFeesOfThenNotOfBeforeTheWait() {
        Harness capped = new Harness(ONE_IN_FLIGHT);
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        capped.process(batches.get(0));
        AtomicInteger pauses = new AtomicInteger();
        // Full blocks while it waits: the base fee rises 2.5 times, past the 2 × base fee the quote allowed for.
        Wei risen = new Wei(BigInteger.valueOf(2_500_000_000L));
        Sleeper feesRiseThenTheSlotFrees = pause -> {
            capped.clock.advance(pause);
            if (pauses.incrementAndGet() == 3) {
                capped.chain.automine(true);
                capped.chain.mine();
                capped.process(batches.get(0));
                capped.chain.setBaseFee(risen);
            }
        };

        BatchOutcome second = capped.worker(feesRiseThenTheSlotFrees).process(Harness.firstAttempt(batches.get(1)));

        assertThat(second).isInstanceOf(BatchOutcome.Completed.class);
        StoredTransaction signed = capped.storage.ledger().forBatch(batches.get(1).id()).getFirst();
        assertThat(signed.transaction().fees().maxFeePerGas().isGreaterThan(risen))
                .as("max fee %s covers the base fee of when it was signed, %s", signed.transaction().fees().maxFeePerGas(),
                        risen)
                .isTrue();
        capped.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aBatchWhoseSlotFreedWhileItWasRefusedSignsWithoutFirstPausing() {
        Harness capped = new Harness(ONE_IN_FLIGHT);
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        capped.process(batches.get(0));
        AtomicInteger writeAheads = new AtomicInteger();
        Instant[] signedAt = new Instant[1];
        // The first write-ahead is refused (the cap is full); right after it, as if another batch of the process had
        // been signing meanwhile, the slot frees.
        CrashInjector slotFreesRightAfterTheRefusal = (operation, phase) -> {
            if (!operation.equals("ledger.writeAhead")) {
                return;
            }
            if (phase == CrashInjector.Phase.AFTER && writeAheads.incrementAndGet() == 1) {
                capped.chain.automine(true);
                capped.chain.mine();
                assertThat(capped.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);
            }
            if (phase == CrashInjector.Phase.BEFORE && writeAheads.get() == 1) {
                signedAt[0] = capped.clock.instant();
            }
        };
        Instant start = capped.clock.instant();

        BatchOutcome second = capped.worker(slotFreesRightAfterTheRefusal).process(Harness.firstAttempt(batches.get(1)));

        assertThat(second).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(signedAt[0]).as("the second write-ahead came").isNotNull();
        assertThat(Duration.between(start, signedAt[0])).as("signed without a pause first").isZero();
        capped.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aCapThatStaysFullHandsTheBatchBackWithNothingSignedAfterAtMostWaitDelay() {
        Harness capped = new Harness(ONE_IN_FLIGHT);
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        capped.process(batches.get(0));
        Instant start = capped.clock.instant();

        BatchOutcome second = capped.process(batches.get(1));

        assertThat(second).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) second).reason()).contains("in-flight cap of 1");
        assertThat(Duration.between(start, capped.clock.instant())).isGreaterThanOrEqualTo(ONE_IN_FLIGHT.waitDelay())
                .isLessThan(ONE_IN_FLIGHT.waitDelay().plusSeconds(1));
        assertThat(capped.storage.ledger().forBatch(batches.get(1).id())).as("no nonce taken, nothing signed").isEmpty();
        assertThat(capped.chain.broadcasts()).hasSize(1);
    }

    @Test
    void theWaitForASlotLeavesTheReceiptWaitWithinTheLease() {
        // A lease only 5 s longer than the receipt wait: waiting longer for a slot could let the receipt wait outlast the
        // lease, and another worker take the batch over while this one still holds it.
        DistributionSettings tight = ONE_IN_FLIGHT.toBuilder().lease(Duration.ofSeconds(65))
                .receiptTimeout(Duration.ofSeconds(60)).build();
        Harness capped = new Harness(tight);
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        capped.process(batches.get(0));
        Instant start = capped.clock.instant();

        BatchOutcome second = capped.process(batches.get(1));

        assertThat(second).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(Duration.between(start, capped.clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(5))
                .isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void theWaitForASlotAddsNoBalanceReadToTheSigning() {
        // Every signing after a wait runs inside the process's one turn: each round trip there is paid by every batch
        // queued behind it. The balance was read before the wait; the node still refuses a send the wallet cannot pay.
        Harness capped = new Harness(ONE_IN_FLIGHT);
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        capped.process(batches.get(0));
        AtomicInteger pauses = new AtomicInteger();
        int[] balanceReadsBeforeTheWait = new int[1];
        Sleeper slotFreesOnThirdPause = pause -> {
            capped.clock.advance(pause);
            if (pauses.incrementAndGet() == 1) {
                balanceReadsBeforeTheWait[0] = capped.chain.callsTo("eth_getBalance");
            }
            if (pauses.get() == 3) {
                capped.chain.automine(true);
                capped.chain.mine();
                capped.process(batches.get(0));
            }
        };

        BatchOutcome second = capped.worker(slotFreesOnThirdPause).process(Harness.firstAttempt(batches.get(1)));

        assertThat(second).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(pauses).hasValue(3);
        assertThat(capped.chain.callsTo("eth_getBalance")).as("balance reads, against those before the wait began")
                .isEqualTo(balanceReadsBeforeTheWait[0]);
        capped.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aBatchBeyondTheWaitersAllowedGoesBackAtOnceLeavingItsThreadToTheBatchesThatHoldTheSlots() throws Exception {
        ThreeBatchesOneSlot race = new ThreeBatchesOneSlot();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<BatchOutcome> waiter = race.secondWaitsForTheSlot(other);
            long t0 = System.nanoTime();

            BatchOutcome third = race.processor.process(Harness.firstAttempt(race.batches.get(2)));

            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            race.release.countDown();
            assertThat(third).isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(((BatchOutcome.Delayed) third).reason()).contains("in-flight cap of 1");
            assertThat(took).as("handed back at once, not after waiting its turn").isLessThan(Duration.ofSeconds(2));
            assertThat(race.capped.storage.ledger().forBatch(race.batches.get(2).id())).as("nothing signed").isEmpty();
            assertThat(waiter.get(30, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Delayed.class);
        } finally {
            race.release.countDown();
            other.shutdownNow();
        }
    }

    @Test
    void aBatchArrivingWhileAnotherWaitsForASlotDoesNotTakeTheSlotAheadOfIt() throws Exception {
        ThreeBatchesOneSlot race = new ThreeBatchesOneSlot();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<BatchOutcome> waiter = race.secondWaitsForTheSlot(other);
            // The slot frees while the second pauses between its looks, and a third batch comes for it just then.
            race.capped.chain.automine(true);
            race.capped.chain.mine();
            assertThat(race.capped.process(race.batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);

            BatchOutcome third = race.processor.process(Harness.firstAttempt(race.batches.get(2)));

            assertThat(third).as("in line behind the waiting batch, and the line is full")
                    .isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(race.capped.storage.ledger().forBatch(race.batches.get(2).id())).as("nothing signed for the newcomer")
                    .isEmpty();
            race.release.countDown();
            assertThat(waiter.get(30, TimeUnit.SECONDS)).as("the waiting batch takes the slot")
                    .isInstanceOf(BatchOutcome.Completed.class);
            assertThat(race.capped.storage.ledger().forBatch(race.batches.get(1).id())).hasSize(1);
        } finally {
            race.release.countDown();
            other.shutdownNow();
        }
    }

    /**
     * A cap of one in-flight transaction (so one thread of the process may wait for a slot) and three batches, the first
     * holding the slot; {@link #processor} pauses by telling {@link #waiting} and holding until {@link #release}.
     */
    private static final class ThreeBatchesOneSlot {
        final Harness capped = new Harness(ONE_IN_FLIGHT);
        final List<Batch> batches;
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final BatchProcessor processor;

        ThreeBatchesOneSlot() {
            Campaign campaign = capped.campaignWithContract(3);
            batches = capped.distribute(campaign);
            capped.chain.automine(false);
            capped.process(batches.get(0)); // holds the only slot
            processor = capped.worker(pause -> {
                waiting.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                capped.clock.advance(pause);
            });
        }

        /** Has {@code thread} process the second batch, and returns once it waits for the slot. */
        Future<BatchOutcome> secondWaitsForTheSlot(ExecutorService thread) throws InterruptedException {
            Future<BatchOutcome> second = thread.submit(() -> processor.process(Harness.firstAttempt(batches.get(1))));
            assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the second batch waits for the slot").isTrue();
            return second;
        }
    }
}
