package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.breaker.CircuitState;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.in.RetryFailedUseCase.RetryFailedCommand;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.JobOutcome;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BatchProcessor} against the in-memory ports and {@link dev.basenft.core.testing.FakeChain}. */
class BatchProcessorTest {

    private final Harness h = new Harness();
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    private Batch singleBatch(Campaign campaign) {
        List<Batch> batches = h.distribute(campaign);
        assertThat(batches).hasSize(1);
        return batches.getFirst();
    }

    @Test
    void mintsEveryRecipientOnceAndRecordsTheReceiptsTokens() {
        Campaign campaign = h.campaignWithContract(5);
        Batch batch = singleBatch(campaign);

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        MintReceipt receipt = ((BatchOutcome.Completed) outcome).receipt();
        assertThat(((BatchOutcome.Completed) outcome).reconciled()).isFalse();
        assertThat(receipt.tokens()).extracting(MintedToken::to).containsExactlyElementsOf(batch.recipients());
        for (MintedToken token : receipt.tokens()) {
            Recipient recipient = h.storage.recipients().find(campaign.id(), token.to()).orElseThrow();
            assertThat(recipient.status()).isEqualTo(RecipientStatus.COMPLETED);
            assertThat(recipient.tokenId()).contains(token.tokenId());
            assertThat(recipient.txHash()).contains(receipt.hash());
        }
        Batch done = h.batch(batch);
        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.blockNumber()).contains(receipt.blockNumber());
        assertThat(done.gasUsed()).contains(receipt.gasUsed());
        assertThat(h.storage.ledger().forBatch(batch.id())).extracting(StoredTransaction::hash)
                .containsExactly(receipt.hash());
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        assertThat(JobOutcomes.of(outcome)).isInstanceOf(JobOutcome.Done.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void leavesACompletedBatchAloneOnASecondJob() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        h.process(batch);
        int broadcasts = h.chain.broadcasts().size();

        BatchOutcome again = h.worker().process(new ProcessBatchCommand(batch.id(), 0, 3));

        assertThat(again).isEqualTo(new BatchOutcome.AlreadyCompleted(batch.id()));
        assertThat(JobOutcomes.of(again)).isInstanceOf(JobOutcome.Done.class);
        assertThat(log.linesContaining("Batch already completed (idempotency)")).hasSize(1);
        assertThat(h.chain.broadcasts()).hasSize(broadcasts);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void opensTheBreakerAfterFiveTransportFailuresAndThenDelaysWithoutUsingAnAttempt() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        CircuitBreaker breaker = new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock);
        BatchProcessor worker = h.worker(CrashInjector.NONE, breaker);

        for (int i = 0; i < 5; i++) {
            h.chain.failNextCalls(1);
            assertThat(worker.process(new ProcessBatchCommand(batch.id(), 0, 10)))
                    .isInstanceOf(BatchOutcome.RetryLater.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(log.linesContaining("[worker] Circuit breaker OPEN after 5 consecutive RPC failures")).hasSize(1);
        int attempts = h.batch(batch).attempts();

        BatchOutcome delayed = worker.process(new ProcessBatchCommand(batch.id(), 0, 10));

        assertThat(delayed).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) delayed).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobOutcomes.of(delayed)).isInstanceOf(JobOutcome.Delay.class);
        assertThat(h.batch(batch).attempts()).as("no claim, no attempt").isEqualTo(attempts);
        assertThat(log.linesContaining("[worker] Circuit breaker OPEN, delaying batch")).hasSize(1);

        h.clock.advance(Duration.ofSeconds(30));
        assertThat(worker.process(new ProcessBatchCommand(batch.id(), 0, 10))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        // The runbook's sequence, in order: open, batches delayed, half-open, closed.
        assertThat(log.lines()).filteredOn(line -> line.contains("[worker] Circuit breaker"))
                .map(line -> line.replaceAll(".*\\[worker\\] Circuit breaker (OPEN|HALF_OPEN|CLOSED)(, delaying| after)?.*",
                        "$1$2"))
                .containsExactly("OPEN after", "OPEN, delaying", "HALF_OPEN", "CLOSED");
    }

    @Test
    void retriesATransportFailureAndGivesTheBatchBack() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.failNextCalls(1);

        BatchOutcome outcome = h.worker().process(new ProcessBatchCommand(batch.id(), 0, 3));

        assertThat(outcome).isInstanceOf(BatchOutcome.RetryLater.class);
        assertThat(JobOutcomes.of(outcome)).isInstanceOf(JobOutcome.Retry.class);
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.PENDING);
        assertThat(h.storage.leaseHolder(batch.id())).isEmpty();
        assertThat(h.worker().process(new ProcessBatchCommand(batch.id(), 1, 3))).isInstanceOf(BatchOutcome.Completed.class);
    }

    @Test
    void failsReadablyOnAPausedCollection() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.pause(h.collection(campaign));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Failed.class);
        assertThat(h.batch(batch).error()).hasValueSatisfying(e -> assertThat(e).contains("contract is paused"));
        assertThat(h.chain.confirmedNonce(h.chain.minter())).as("a refused estimate costs no nonce").isZero();
        assertThat(h.storage.ledger().nextNonce(h.chain.minter())).isZero();
    }

    @Test
    void failsReadablyWhenTheMinterLacksTheRole() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.revokeMinterRole(h.collection(campaign));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Failed.class);
        assertThat(h.batch(batch).error()).hasValueSatisfying(e -> assertThat(e).contains("MINTER_ROLE"));
        assertThat(h.storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.FAILED, 2L);
    }

    @Test
    void failsReadablyWhenTheMinedTransactionReverted() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        signThenRevertOnAPausedCollection(campaign, batch);

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Failed.class);
        assertThat(h.batch(batch).error()).hasValueSatisfying(e -> assertThat(e)
                .startsWith("Transaction reverted: contract is paused"));
        assertThat(log.linesContaining("Found existing txHash, checking receipt")).hasSize(1);
    }

    @Test
    void retryAfterARevertedTransactionSignsANewOneOnceTheCauseIsGone() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        signThenRevertOnAPausedCollection(campaign, batch);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Failed.class);
        h.chain.unpause(h.collection(campaign));
        h.chain.automine(true);

        assertThat(h.service.retry(new RetryFailedCommand(h.owner, campaign.id()))).isEqualTo(1);
        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).as("the reverted tx of run 0 must not fail run 1 again").isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.storage.ledger().forBatch(batch.id()))
                .extracting(StoredTransaction::run, StoredTransaction::nonce)
                .as("run 1 signed on a new nonce: the reverted one's is spent")
                .containsExactly(tuple(0, 0L), tuple(1, 1L));
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(2);
        assertThat(log.linesContaining("of run 0 reverted and was reported; run 1 signs a new transaction")).hasSize(1);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
    }

    @Test
    void aRevertInTheCurrentRunStillFailsTheBatchAfterARetry() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.pause(h.collection(campaign));
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Failed.class);
        h.chain.unpause(h.collection(campaign));
        assertThat(h.service.retry(new RetryFailedCommand(h.owner, campaign.id()))).isEqualTo(1);
        signThenRevertOnAPausedCollection(campaign, batch);

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).as("run 1's own revert is reported, not retried").isInstanceOf(BatchOutcome.Failed.class);
        assertThat(h.storage.ledger().forBatch(batch.id())).extracting(StoredTransaction::run).containsExactly(1);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
    }

    /** The batch's transaction is signed and sent, then the collection is paused before it is mined: it reverts. */
    private void signThenRevertOnAPausedCollection(Campaign campaign, Batch batch) {
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        h.chain.pause(h.collection(campaign));
        h.chain.mine();
    }

    @Test
    void waitsWhileFeesAreAboveTheCeilingThenMints() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.setBaseFee(Wei.gwei(30));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(JobOutcomes.of(outcome)).isInstanceOf(JobOutcome.Delay.class);
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.PENDING);
        assertThat(h.chain.broadcasts()).isEmpty();
        assertThat(log.linesContaining("Gas price above ceiling")).hasSize(1);

        h.chain.setBaseFee(Wei.gwei(1));
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
    }

    @Test
    void waitsWhileTheMinterIsShortOfFundsAndResumesOnceFunded() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.setBalance(h.chain.minter(), Wei.gwei(1));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).isEqualTo("Minter balance too low");
        assertThat(log.linesContaining("Minter balance too low")).hasSize(1);
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.PENDING);
        assertThat(h.storage.ledger().forBatch(batch.id())).as("nothing signed while broke").isEmpty();

        h.chain.setBalance(h.chain.minter(), new Wei(BigInteger.TEN.pow(18)));
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void replacesAStuckTransactionOnTheSameNonceWithHigherFees() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction original = h.storage.ledger().forBatch(batch.id()).getFirst();
        // The base fee climbs past what the transaction offered: it can no longer be mined.
        h.chain.setBaseFee(Wei.gwei(3));
        h.chain.automine(true);
        h.chain.mine();
        assertThat(h.chain.isPending(original.hash())).isTrue();
        h.clock.advance(h.settings.stuckAfter());

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        List<StoredTransaction> stored = h.storage.ledger().forBatch(batch.id());
        assertThat(stored).hasSize(2);
        SignedTransaction replacement = stored.get(1).transaction();
        assertThat(replacement.nonce()).isEqualTo(original.nonce());
        BigInteger oldMax = original.transaction().fees().maxFeePerGas().value();
        BigInteger oldTip = original.transaction().fees().maxPriorityFeePerGas().value();
        assertThat(replacement.fees().maxFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(oldMax.multiply(BigInteger.valueOf(110)));
        assertThat(replacement.fees().maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(100)))
                .isGreaterThanOrEqualTo(oldTip.multiply(BigInteger.valueOf(110)));
        assertThat(((BatchOutcome.Completed) outcome).receipt().hash()).isEqualTo(replacement.hash());
        assertThat(h.chain.confirmedNonce(h.chain.minter())).as("no extra nonce").isEqualTo(1);
        assertThat(h.chain.status(original.hash())).isEqualTo(new TransactionStatus.Unknown());
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void rebroadcastsADroppedTransactionByteForByte() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction stored = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.drop(stored.hash())).isTrue();
        h.chain.automine(true);

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.chain.broadcasts()).hasSize(2)
                .allSatisfy(b -> assertThat(b.raw()).isEqualTo(stored.transaction().raw()));
        assertThat(h.storage.ledger().forBatch(batch.id())).containsExactly(stored);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
        assertThat(log.linesContaining("Found existing txHash, checking receipt")).hasSize(1);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void reconcilesABatchTheChainSaysIsAlreadyMinted() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        // Someone (an earlier deployment, a script) minted this very batch key already.
        MintCall call = MintCall.of(h.collection(campaign), batch);
        SignedTransaction earlier = h.chain.signMint(call, 0, h.chain.quoteMint(call));
        assertThat(h.chain.broadcast(earlier)).isInstanceOf(BroadcastResult.Accepted.class);
        h.storage.ledger().resyncNonce(h.chain.minter(), h.chain.pendingNonceOf(h.chain.minter()));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) outcome).reconciled()).isTrue();
        assertThat(((BatchOutcome.Completed) outcome).receipt().hash()).isEqualTo(earlier.hash());
        assertThat(h.chain.confirmedNonce(h.chain.minter())).as("reconciling sends nothing").isEqualTo(1);
        assertThat(h.storage.recipients().find(campaign.id(), batch.recipients().getFirst()).orElseThrow().txHash())
                .contains(earlier.hash());
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void reconcilesWhenItsOwnTransactionRevertsWithBatchAlreadyUsed() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        h.chain.automine(false);
        MintCall call = MintCall.of(h.collection(campaign), batch);
        SignedTransaction other = h.chain.signMint(call, 0, h.chain.quoteMint(call));
        h.chain.broadcast(other);
        h.storage.ledger().resyncNonce(h.chain.minter(), h.chain.pendingNonceOf(h.chain.minter()));
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        h.chain.mine();
        StoredTransaction ours = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.receipt(ours.hash())).hasValueSatisfying(r -> assertThat(r.succeeded()).isFalse());

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) outcome).reconciled()).isTrue();
        assertThat(((BatchOutcome.Completed) outcome).receipt().hash()).isEqualTo(other.hash());
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void signsOnANewNonceOnlyWhenAnotherTransactionTookTheOldOne() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        assertThatThrownBy(() -> h.worker(CrashInjector.once("chain.broadcast", CrashInjector.Phase.BEFORE))
                .process(Harness.firstAttempt(batch))).isInstanceOf(SimulatedCrash.class);
        // While the worker is down, something else spends nonce 0 (an operator's manual transaction).
        Campaign other = h.campaignWithContract(1);
        Batch otherBatch = h.distribute(other).getFirst();
        MintCall foreign = MintCall.of(h.collection(other), otherBatch);
        h.chain.broadcast(h.chain.signMint(foreign, 0, h.chain.quoteMint(foreign)));

        BatchOutcome outcome = h.restart().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.storage.ledger().forBatch(batch.id())).extracting(StoredTransaction::nonce).containsExactly(0L, 1L);
        assertThat(log.linesContaining("was used by another transaction by block")).singleElement().asString()
                .contains("the batch key was still unused there; signing on a new nonce");
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void waitsWithoutANewNonceWhenTheNodeRejectsANonceGap() {
        Harness small = new Harness(DistributionSettings.builder().batchSize(1).build());
        Campaign campaign = small.campaignWithContract(2);
        List<Batch> batches = small.distribute(campaign);
        small.chain.rejectNonceGaps(true);
        // Batch 0 stores its transaction on nonce 0, then its worker dies before broadcasting it.
        assertThatThrownBy(() -> small.worker(CrashInjector.once("chain.broadcast", CrashInjector.Phase.BEFORE))
                .process(Harness.firstAttempt(batches.get(0)))).isInstanceOf(SimulatedCrash.class);

        BatchOutcome ahead = small.worker().process(Harness.firstAttempt(batches.get(1)));

        assertThat(ahead).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) ahead).reason()).contains("nonce too high");
        assertThat(log.linesContaining("is ahead of the node's pending nonce 0")).hasSize(1);
        assertThat(small.restart().process(Harness.firstAttempt(batches.get(0)))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(small.worker().process(Harness.firstAttempt(batches.get(1)))).isInstanceOf(BatchOutcome.Completed.class);
        // Refused, it stayed unknown to the node past stuckAfter, so once nonce 0 landed it was re-priced: on nonce 1.
        assertThat(small.storage.ledger().forBatch(batches.get(1).id())).extracting(StoredTransaction::nonce)
                .as("the waiting batch kept its nonce").containsOnly(1L);
        small.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void delaysABatchLeasedByAnotherWorker() {
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = singleBatch(campaign);
        h.storage.batches().claim(new Claim(batch.id(), "someone-else", h.clock.instant(),
                h.clock.instant().plus(h.settings.lease())));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.chain.broadcasts()).isEmpty();
    }

    @Test
    void waitsForAFreeSlotAtTheInFlightCap() {
        Harness capped = new Harness(DistributionSettings.builder().maxInFlight(1).batchSize(1).build());
        Campaign campaign = capped.campaignWithContract(2);
        List<Batch> batches = capped.distribute(campaign);
        capped.chain.automine(false);
        assertThat(capped.process(batches.get(0))).isInstanceOf(BatchOutcome.Delayed.class);

        BatchOutcome second = capped.process(batches.get(1));

        assertThat(second).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) second).reason()).contains("in-flight cap of 1");
        assertThat(capped.storage.ledger().forBatch(batches.get(1).id())).isEmpty();
        capped.chain.automine(true);
        capped.chain.mine();
        assertThat(capped.process(batches.get(0))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(capped.process(batches.get(1))).isInstanceOf(BatchOutcome.Completed.class);
        capped.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void skipsAMissingOrFailedBatch() {
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = singleBatch(campaign);
        h.chain.pause(h.collection(campaign));
        h.process(batch);

        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Skipped.class);
    }

    @Test
    void givesTheHalfOpenTrialBackWhenTheStoreFailsUnexpectedly() {
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = singleBatch(campaign);
        CircuitBreaker breaker = new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock);
        for (int i = 0; i < 5; i++) {
            breaker.recordFailure();
        }
        h.clock.advance(Duration.ofSeconds(30));
        CrashInjector databaseDown = (operation, phase) -> {
            if (operation.equals("batches.claim")) {
                throw new IllegalStateException("connection refused: database down");
            }
        };

        assertThatThrownBy(() -> h.worker(databaseDown, breaker).process(Harness.firstAttempt(batch)))
                .hasMessageContaining("database down");

        assertThat(breaker.tryAcquire().granted())
                .as("the trial was not used on the chain, so the next caller gets it").isTrue();
    }

    @Test
    void aBatchThatTimedOutWithItsTransactionInTheMempoolIsNotFailedAndMintsNothingTwice() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        h.chain.failNextCalls(1);
        assertThat(h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3))).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.service.retry(new RetryFailedCommand(h.owner, campaign.id()))).as("nothing FAILED to retry").isZero();
        // The node was only slow: the transaction is mined after all.
        h.chain.mine();
        h.chain.automine(true);

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(h.batch(batch)));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
        assertThat(h.storage.ledger().forBatch(batch.id())).hasSize(1);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void treatsALostBroadcastAnswerAsAnUnknownFateAndThenFindsTheMinedTransaction() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.loseNextBroadcastResponse();

        BatchOutcome first = h.process(batch);

        assertThat(first).as("waits without using an attempt").isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.batch(batch).status()).as("the stored transaction keeps it SUBMITTED").isEqualTo(BatchStatus.SUBMITTED);
        BatchOutcome second = h.worker().process(new ProcessBatchCommand(batch.id(), 1, 3));

        assertThat(second).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.chain.broadcasts()).as("found mined, not sent again").hasSize(1);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }
}
