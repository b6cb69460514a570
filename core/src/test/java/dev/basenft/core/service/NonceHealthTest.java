package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.RetryFailedUseCase.RetryFailedCommand;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.testing.FakeChain;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The nonce-health check against the fake chain and the in-memory ledger: a nonce the node lost is rebroadcast while its
 * batch is live and filled once the batch was given up (or nothing is stored for it), a drifted counter is resynced, a
 * nonce the node holds is never filled, and no batch gets a second mint out of it.
 */
class NonceHealthTest {

    private final Harness h = new Harness(DistributionSettings.builder().batchSize(1).build());
    private final NonceHealth health = new NonceHealth(h.chain, h.storage.ledger(), h.storage.batches(), h.settings,
            h.clock);
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    private Address minter() {
        return h.chain.minter();
    }

    /** Signs and stores {@code batch}'s mint, sends it, then lets the node lose it: a nonce nobody holds. */
    private StoredTransaction lost(Batch batch) {
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction tx = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.drop(tx.hash())).isTrue();
        h.chain.automine(true);
        return tx;
    }

    /** {@code batch}'s mint reaches the node, but waits behind the gap below it. */
    private StoredTransaction queuedBehindTheGap(Batch batch) {
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction tx = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.isPending(tx.hash())).isTrue();
        return tx;
    }

    /** What an operator's give-up looks like to the stores: the batch is FAILED with its transaction still stored. */
    private void giveUp(Batch batch) {
        Claim claim = new Claim(batch.id(), "operator", h.clock.instant(), h.clock.instant().plus(h.settings.lease()));
        assertThat(h.storage.batches().claim(claim)).isPresent();
        assertThat(h.storage.batches().fail(claim, "attempts exhausted")).isTrue();
    }

    private long broadcastsOf(StoredTransaction tx) {
        return h.chain.broadcasts().stream().filter(b -> b.hash().equals(tx.hash())).count();
    }

    @Test
    void aCompletedBatchsMintReorganisedOutIsSentAgainNeverFilled() {
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = h.distribute(campaign).getFirst();
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Completed.class);
        StoredTransaction tx = h.storage.ledger().forBatch(batch.id()).getFirst();
        // Deeper than the confirmation depth (0 here): the block goes, and its transaction with it.
        h.chain.automine(false);
        h.chain.reorg(1, false);
        assertThat(h.chain.status(tx.hash())).isInstanceOf(dev.basenft.core.model.TransactionStatus.Unknown.class);

        health.run();

        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).as("a filler would make the loss final").isEmpty();
        assertThat(broadcastsOf(tx)).as("the same signed mint, sent again").isEqualTo(2);
        assertThat(log.linesContaining("is COMPLETED but its tx")).singleElement().asString()
                .contains("not on chain any more").contains("rebroadcasting it, not filling");
        h.chain.mine();
        assertThat(h.chain.status(tx.hash())).isInstanceOf(dev.basenft.core.model.TransactionStatus.Mined.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void fillsTheGapBehindAGivenUpBatchSoTheLaterBatchesAreMinedAndNoMintIsSignedForIt() {
        Campaign campaign = h.campaignWithContract(3);
        List<Batch> batches = h.distribute(campaign);
        StoredTransaction gap = lost(batches.get(0));
        giveUp(batches.get(0));
        queuedBehindTheGap(batches.get(1));
        queuedBehindTheGap(batches.get(2));
        assertThat(h.chain.confirmedNonce(minter())).as("jammed behind the lost nonce").isZero();

        NonceHealth.Report report = health.run();

        assertThat(report.filled()).isEqualTo(1);
        assertThat(report.rebroadcast()).isZero();
        List<FillerTransaction> fillers = h.storage.ledger().fillersFrom(minter(), 0);
        assertThat(fillers).singleElement().satisfies(f -> {
            assertThat(f.nonce()).isEqualTo(gap.nonce());
            assertThat(f.reason()).contains(batches.get(0).id().toString()).contains("FAILED");
            assertThat(h.chain.receipt(f.hash())).hasValueSatisfying(r -> assertThat(r.tokens()).isEmpty());
        });
        assertThat(h.chain.confirmedNonce(minter())).as("the filler and both queued mints").isEqualTo(3);
        assertThat(h.process(batches.get(1))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.process(batches.get(2))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.storage.ledger().forBatch(batches.get(0).id())).as("nothing signed for the given-up batch")
                .containsExactly(gap);
        assertThat(broadcastsOf(gap)).as("the given-up mint is not sent again").isEqualTo(1);
        assertThat(log.linesContaining("[nonce] Nonce " + gap.nonce() + " is a gap: batch " + batches.get(0).id()
                + " is FAILED")).hasSize(1);
        assertThat(log.linesContaining("[nonce] Filling nonce " + gap.nonce() + " with zero-value self-transfer "
                + fillers.getFirst().hash())).hasSize(1);
        assertThat(health.run().healthy()).as("a second check finds nothing").isTrue();

        // "Retry Failed": the batch finds its nonce taken by the filler and its key unused, and only then signs again.
        h.service.retry(new RetryFailedCommand(h.owner, campaign.id()));
        assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.chain.confirmedNonce(minter())).as("one nonce per batch plus the filler")
                .isEqualTo(batches.size() + h.storage.ledger().fillersFrom(minter(), 0).size());
    }

    @Test
    void rebroadcastsTheStoredTransactionOfALiveBatchByteForByteInsteadOfFillingItsNonce() {
        Campaign campaign = h.campaignWithContract(2);
        List<Batch> batches = h.distribute(campaign);
        StoredTransaction gap = lost(batches.get(0));
        queuedBehindTheGap(batches.get(1));

        NonceHealth.Report report = health.run();

        assertThat(report.rebroadcast()).isEqualTo(1);
        assertThat(report.filled()).isZero();
        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).isEmpty();
        assertThat(broadcastsOf(gap)).isEqualTo(2);
        assertThat(h.chain.receipt(gap.hash())).as("the very bytes stored, mined").isPresent();
        assertThat(h.storage.ledger().forBatch(batches.get(0).id())).containsExactly(gap);
        assertThat(log.linesContaining("[nonce] Nonce " + gap.nonce() + " is a gap: batch " + batches.get(0).id()
                + "'s tx " + gap.hash() + " is unknown to the node; rebroadcasting it")).hasSize(1);
        assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.process(batches.get(1))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void fillsTheNonceOfALiveBatchWhoseRebroadcastTheNodeRefusesAndTheBatchThenSignsOnANewNonce() {
        Campaign campaign = h.campaignWithContract(2);
        List<Batch> batches = h.distribute(campaign);
        StoredTransaction gap = lost(batches.get(0));
        queuedBehindTheGap(batches.get(1));
        // The market moved past the lost transaction's fee cap; this node refuses such transactions outright.
        h.chain.setBaseFee(gap.transaction().fees().maxFeePerGas().plus(Wei.gwei(1)));
        h.chain.rejectUnderBaseFee(true);

        NonceHealth.Report report = health.run();

        assertThat(report.filled()).isEqualTo(1);
        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).singleElement()
                .satisfies(f -> assertThat(f.nonce()).isEqualTo(gap.nonce()));
        assertThat(log.linesContaining("[nonce] The node refused batch " + batches.get(0).id() + "'s tx " + gap.hash())).hasSize(1);
        // The market calms down again, so the mint queued behind the filled nonce can be mined.
        h.chain.rejectUnderBaseFee(false);
        h.chain.setBaseFee(Wei.gwei(1));
        h.chain.mine();
        assertThat(h.process(batches.get(1))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        List<StoredTransaction> first = h.storage.ledger().forBatch(batches.get(0).id());
        assertThat(first).hasSize(2);
        assertThat(first.getLast().nonce()).as("a new nonce, once the filler had taken the old one")
                .isGreaterThan(gap.nonce());
    }

    @Test
    void fillsAHandedOutNonceThatHasNoStoredTransaction() {
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = h.distribute(campaign).getFirst();
        // Another sender's transaction held nonce 0 when the counter was resynced, and was dropped since.
        h.storage.ledger().resyncNonce(minter(), 1);
        StoredTransaction mint = queuedBehindTheGap(batch);
        assertThat(mint.nonce()).isEqualTo(1);

        NonceHealth.Report report = health.run();

        assertThat(report.filled()).isEqualTo(1);
        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).singleElement().satisfies(f -> {
            assertThat(f.nonce()).isZero();
            assertThat(f.reason()).contains("no transaction is stored");
        });
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void neverFillsANonceTheNodeHolds() {
        Campaign campaign = h.campaignWithContract(3);
        List<Batch> batches = h.distribute(campaign);
        h.chain.automine(false);
        for (Batch batch : batches) {
            assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        }
        int broadcasts = h.chain.broadcasts().size();

        NonceHealth.Report report = health.run();

        assertThat(report.healthy()).isTrue();
        assertThat(h.chain.broadcasts()).as("nothing sent").hasSize(broadcasts);
        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).isEmpty();
    }

    @Test
    void leavesTheNoncesQueuedBehindAGapAloneAndFillsOnlyTheGap() {
        Campaign campaign = h.campaignWithContract(3);
        List<Batch> batches = h.distribute(campaign);
        StoredTransaction gap = lost(batches.get(0));
        giveUp(batches.get(0));
        h.chain.automine(false);
        StoredTransaction queued1 = queuedBehindTheGap(batches.get(1));
        StoredTransaction queued2 = queuedBehindTheGap(batches.get(2));
        int broadcasts = h.chain.broadcasts().size();

        health.run();

        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).extracting(FillerTransaction::nonce)
                .containsExactly(gap.nonce());
        assertThat(h.chain.broadcasts()).as("only the filler was sent").hasSize(broadcasts + 1);
        assertThat(h.chain.isPending(queued1.hash())).isTrue();
        assertThat(h.chain.isPending(queued2.hash())).isTrue();
    }

    @Test
    void resyncsACounterThatDriftedAboveTheChainWithoutSpendingANonce() {
        h.storage.ledger().resyncNonce(minter(), 5);

        NonceHealth.Report report = health.run();

        assertThat(report.resynced()).isTrue();
        assertThat(h.storage.ledger().nextNonce(minter())).isZero();
        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).isEmpty();
        assertThat(h.chain.broadcasts()).isEmpty();
        assertThat(log.linesContaining("[nonce] Nonce counter drifted: the ledger would hand out nonce 5, but the node's "
                + "pending nonce is 0")).hasSize(1);
    }

    @Test
    void resyncsTheCounterUpWhenAnotherSenderUsedTheWallet() {
        h.chain.broadcast(h.chain.signFiller(0, h.chain.currentFees()));
        h.chain.broadcast(h.chain.signFiller(1, h.chain.currentFees()));

        NonceHealth.Report report = health.run();

        assertThat(report.resynced()).isTrue();
        assertThat(h.storage.ledger().nextNonce(minter())).isEqualTo(2);
        assertThat(log.linesContaining("another sender used minter wallet")).hasSize(1);
    }

    @Test
    void rebroadcastsARecordedFillerTheNodeLostInsteadOfSigningAnother() {
        Campaign campaign = h.campaignWithContract(2);
        List<Batch> batches = h.distribute(campaign);
        lost(batches.get(0));
        giveUp(batches.get(0));
        h.chain.automine(false);
        queuedBehindTheGap(batches.get(1));
        health.run();
        FillerTransaction filler = h.storage.ledger().fillersFrom(minter(), 0).getFirst();
        assertThat(h.chain.drop(filler.hash())).isTrue();
        h.chain.automine(true);

        health.run();

        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).containsExactly(filler);
        assertThat(h.chain.broadcasts().stream().filter(b -> b.hash().equals(filler.hash()))).hasSize(2);
        assertThat(h.chain.receipt(filler.hash())).isPresent();
        assertThat(h.process(batches.get(1))).isInstanceOf(BatchOutcome.Completed.class);
    }

    @Test
    void doesNotFillAboveTheFeeCeiling() {
        Harness capped = new Harness(DistributionSettings.builder().batchSize(1).maxFeePerGas(Wei.gwei(4)).build());
        NonceHealth check = new NonceHealth(capped.chain, capped.storage.ledger(), capped.storage.batches(),
                capped.settings, capped.clock);
        Campaign campaign = capped.campaignWithContract(1);
        Batch batch = capped.distribute(campaign).getFirst();
        capped.storage.ledger().resyncNonce(capped.chain.minter(), 1);
        assertThat(capped.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        capped.chain.setBaseFee(Wei.gwei(3));

        NonceHealth.Report report = check.run();

        assertThat(report.filled()).isZero();
        assertThat(capped.storage.ledger().fillersFrom(capped.chain.minter(), 0)).isEmpty();
        assertThat(capped.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(log.linesContaining("[nonce] Not filling nonce 0: its maxFeePerGas of 6100000000 wei would pass the "
                + "ceiling of 4000000000 wei")).hasSize(1);
    }

    @Test
    void theWorkerRunsTheCheckAtStartAndUnjamsTheQueueWithNoOperatorAction() throws Exception {
        Campaign campaign = h.campaignWithContract(2);
        List<Batch> batches = h.distribute(campaign);
        lost(batches.get(0));
        giveUp(batches.get(0));
        queuedBehindTheGap(batches.get(1));
        DistributionWorker worker = new DistributionWorker(h.queue, h.worker(), h.storage.ledger(), h.chain, 1, null, null,
                health, Duration.ofMillis(50));
        worker.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.chain.confirmedNonce(minter()) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            worker.stop(Duration.ofSeconds(5));
        }

        assertThat(h.chain.confirmedNonce(minter())).isEqualTo(2);
        assertThat(h.storage.ledger().fillersFrom(minter(), 0)).hasSize(1);
    }

    @Test
    void theFakeChainCountsAFillerAsANonceAndNotAMint() {
        FakeChain chain = h.chain;
        chain.broadcast(chain.signFiller(0, chain.currentFees()));

        assertThat(chain.confirmedNonce(minter())).isEqualTo(1);
        assertThat(chain.mints()).isEmpty();
        assertThat(chain.broadcasts()).singleElement()
                .satisfies(b -> assertThat(b.result()).isInstanceOf(BroadcastResult.Accepted.class));
    }
}
