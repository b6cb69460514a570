package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.ForwardingChain;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code confirmations} set, a batch is settled only on a receipt that many blocks deep, read again at that moment;
 * until then it waits SUBMITTED without using an attempt, and a receipt reorganised away sends it back to the ledger, which
 * rebroadcasts the same signed bytes.
 */
class ConfirmationsTest {

    private static final int CONFIRMATIONS = 3;

    private final Harness h = new Harness(DistributionSettings.builder().confirmations(CONFIRMATIONS).build());
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

    private static void assertWaitsForDepth(BatchOutcome outcome, String depth) {
        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(JobOutcomes.of(outcome)).as("no attempt used").isInstanceOf(JobOutcome.Delay.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("awaiting confirmations: ")
                .contains(depth + " of " + CONFIRMATIONS + " blocks deep");
    }

    @Test
    void aMinedBatchWaitingForDepthHoldsNoInFlightSlot() {
        Harness one = new Harness(DistributionSettings.builder().confirmations(CONFIRMATIONS).maxInFlight(1).batchSize(1)
                .build());
        Campaign campaign = one.campaignWithContract(2);
        List<Batch> batches = one.distribute(campaign);
        assertWaitsForDepth(one.process(batches.get(0)), "0");

        BatchOutcome second = one.process(batches.get(1));

        assertThat(second).as("the first is mined: the cap of 1 counts transactions not yet mined")
                .isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) second).reason()).startsWith("awaiting confirmations");
        assertThat(one.storage.ledger().forBatch(batches.get(1).id())).hasSize(1);
    }

    @Test
    void aReceiptNotYetDeepEnoughLeavesTheBatchSubmittedAndWaitingWithoutUsingAnAttempt() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);

        BatchOutcome first = h.process(batch);

        assertWaitsForDepth(first, "0");
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(h.batch(batch).error()).as("the API shows why it waits")
                .hasValueSatisfying(e -> assertThat(e).startsWith("awaiting confirmations: tx ").contains("0 of 3"));
        assertThat(h.storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.COMPLETED, 0L);
        assertThat(log.linesContaining("confirmations; checking again in")).hasSize(1);

        h.chain.mineBlocks(CONFIRMATIONS - 1);
        assertWaitsForDepth(h.process(batch), "2");
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);

        h.chain.mineBlocks(1);
        BatchOutcome done = h.process(batch);

        assertThat(done).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.batch(batch).error()).as("completing clears the wait").isEmpty();
        assertThat(h.storage.ledger().forBatch(batch.id())).as("one transaction signed").hasSize(1);
        assertThat(h.chain.broadcasts()).as("sent once: waiting for depth sends nothing").hasSize(1);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aReceiptReorganisedAwayBeforeItIsDeepIsRebroadcastAsTheSameBytesAndSettledOnItsNewTokenIds() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        assertWaitsForDepth(h.process(batch), "0");
        StoredTransaction stored = h.storage.ledger().forBatch(batch.id()).getFirst();
        MintReceipt firstReceipt = h.chain.receipt(stored.hash()).orElseThrow();
        h.chain.mineBlocks(1);

        // The two blocks go; the new fork first carries another minter's token, so the batch's ids shift by one.
        h.chain.reorg(2, false);
        Address outsider = h.newAddresses(1).getFirst();
        TokenId taken = h.chain.mintByAnotherMinter(h.collection(campaign), outsider);
        assertThat(taken).isEqualTo(firstReceipt.tokens().getFirst().tokenId());

        assertWaitsForDepth(h.process(batch), "0");
        assertThat(log.linesContaining("chain reorganisation: its receipt is gone")).hasSize(1);
        assertThat(h.chain.broadcasts()).as("the stored transaction sent again, byte for byte").hasSize(2)
                .allSatisfy(b -> assertThat(b.raw()).isEqualTo(stored.transaction().raw()));
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);

        h.chain.mineBlocks(CONFIRMATIONS);
        BatchOutcome done = h.process(batch);

        assertThat(done).isInstanceOf(BatchOutcome.Completed.class);
        MintReceipt settled = ((BatchOutcome.Completed) done).receipt();
        assertThat(settled.blockNumber()).isNotEqualTo(firstReceipt.blockNumber());
        assertThat(settled.tokens()).extracting(MintedToken::tokenId).doesNotContain(taken);
        assertThat(h.storage.ledger().forBatch(batch.id())).as("no second signature").hasSize(1);
        for (MintedToken token : settled.tokens()) {
            assertThat(h.chain.tokensOf(h.collection(campaign), token.to())).containsExactly(token.tokenId());
            assertThat(h.storage.recipients().find(campaign.id(), token.to()).orElseThrow().tokenId())
                    .as("the token id recorded is the new receipt's").contains(token.tokenId());
        }
    }

    @Test
    void aReceiptThatMovesToAnotherBlockWhenReadAgainAtDepthIsSettledOnItsNewBlock() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        assertWaitsForDepth(h.process(batch), "0");
        StoredTransaction stored = h.storage.ledger().forBatch(batch.id()).getFirst();
        MintReceipt firstReceipt = h.chain.receipt(stored.hash()).orElseThrow();
        h.chain.mineBlocks(CONFIRMATIONS);
        // Between the worker's read of the receipt and of the head, the chain reorganises: the transaction goes back to
        // the mempool and is mined again in a later block.
        BatchProcessor worker = new BatchProcessor(h.storage.campaigns(), h.storage.batches(), h.storage.ledger(),
                new ReorgOnHeadRead(h.chain), new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock), h.clock, h.settings,
                new WorkerIdentity("reorg-worker"), h.clock::advance);

        BatchOutcome outcome = worker.process(Harness.firstAttempt(batch));

        assertThat(log.linesContaining("chain reorganisation: tx " + stored.hash())).hasSize(1);
        assertWaitsForDepth(outcome, "0");
        MintReceipt moved = h.chain.receipt(stored.hash()).orElseThrow();
        assertThat(moved.sameBlockAs(firstReceipt)).isFalse();

        h.chain.mineBlocks(CONFIRMATIONS);
        BatchOutcome done = h.process(batch);
        assertThat(done).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) done).receipt()).isEqualTo(moved);
        assertThat(h.storage.ledger().forBatch(batch.id())).hasSize(1);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aRevertedReceiptFailsTheBatchOnlyOnceItIsDeep() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        h.chain.automine(false);
        assertThat(h.process(batch)).as("sent, not mined").isInstanceOf(BatchOutcome.Delayed.class);
        h.chain.pause(h.collection(campaign));
        h.chain.mine();

        assertWaitsForDepth(h.process(batch), "0");
        assertThat(h.batch(batch).status()).as("a shallow revert may be reorganised away").isEqualTo(BatchStatus.SUBMITTED);

        h.chain.mineBlocks(CONFIRMATIONS);
        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Failed.class);
        assertThat(((BatchOutcome.Failed) outcome).error()).contains(ChainFailure.PAUSED.description());
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.FAILED);
    }

    @Test
    void aMintFoundByItsBatchKeyIsReconciledOnlyOnceItIsDeep() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = singleBatch(campaign);
        // Someone minted this very batch key already, outside the worker's ledger.
        MintCall call = MintCall.of(h.collection(campaign), batch);
        SignedTransaction earlier = h.chain.signMint(call, 0, h.chain.quoteMint(call));
        assertThat(h.chain.broadcast(earlier)).isInstanceOf(BroadcastResult.Accepted.class);
        h.storage.ledger().resyncNonce(h.chain.minter(), h.chain.pendingNonceOf(h.chain.minter()));

        assertWaitsForDepth(h.process(batch), "0");
        assertThat(h.batch(batch).status()).isNotEqualTo(BatchStatus.COMPLETED);

        h.chain.mineBlocks(CONFIRMATIONS);
        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) outcome).reconciled()).isTrue();
        assertThat(((BatchOutcome.Completed) outcome).receipt().hash()).isEqualTo(earlier.hash());
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    /**
     * The fake chain, reorganising once on the first head read: the last mint's blocks are replaced, its transaction goes back
     * to the mempool and is mined again in a new block, while the caller still gets the head it asked for.
     */
    private static final class ReorgOnHeadRead extends ForwardingChain {
        private final FakeChain fake;
        private boolean done;

        ReorgOnHeadRead(FakeChain fake) {
            super(fake);
            this.fake = fake;
        }

        @Override
        public long blockNumber() {
            long head = fake.blockNumber();
            if (!done) {
                done = true;
                fake.reorg((int) (head - fake.mints().getLast().blockNumber() + 1), true);
                fake.mine();
            }
            return head;
        }
    }
}
