package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.out.JobOutcome;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reads that decide whether a batch is signed again describe one chain: a failover node that lags behind the one
 * answering the nonce cannot make a mined mint look like a nonce lost to another transaction.
 */
class OneViewPerDecisionTest {

    private final Harness h = new Harness();
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    /** Broadcast and mined at once (automine), but the worker dies before it reads the receipt. */
    private Batch minedWhileTheWorkerWasDown(Campaign campaign) {
        List<Batch> batches = h.distribute(campaign);
        assertThat(batches).hasSize(1);
        Batch batch = batches.getFirst();
        assertThatThrownBy(() -> h.worker(CrashInjector.once("chain.broadcast", CrashInjector.Phase.AFTER))
                .process(Harness.firstAttempt(batch))).isInstanceOf(SimulatedCrash.class);
        StoredTransaction tx = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.status(tx.hash())).isInstanceOf(TransactionStatus.Mined.class);
        return batch;
    }

    @Test
    void aLaggingNodeAnsweringTheReceiptAndTheBatchKeyNeverCausesASecondSignature() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = minedWhileTheWorkerWasDown(campaign);
        StoredTransaction tx = h.storage.ledger().forBatch(batch.id()).getFirst();
        MintReceipt receipt = ((TransactionStatus.Mined) h.chain.status(tx.hash())).receipt();
        // The up-to-date node says the nonce is used; receipts and the contract come from a node one block behind, which
        // has never heard of the mint.
        h.chain.laggingNode(receipt.blockNumber() - 1);

        BatchOutcome outcome = h.restart().process(Harness.firstAttempt(batch));

        assertThat(outcome).as("no verdict from a mixed view").isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(JobOutcomes.of(outcome)).as("no attempt used").isInstanceOf(JobOutcome.Delay.class);
        assertThat(h.storage.ledger().forBatch(batch.id())).as("nothing signed again").containsExactly(tx);
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(log.linesContaining("signing on a new nonce")).isEmpty();

        h.chain.noLaggingNode();
        BatchOutcome settled = h.worker().process(Harness.firstAttempt(batch));

        assertThat(settled).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) settled).receipt().hash()).isEqualTo(tx.hash());
        assertThat(h.storage.ledger().forBatch(batch.id())).containsExactly(tx);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aMintTheLaggingNodeCannotShowYetIsWaitedForWithoutUsingAnAttempt() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        // Someone else's transaction minted this batch's key; the logs come from a node that has not seen it yet.
        dev.basenft.core.model.MintCall call = dev.basenft.core.model.MintCall.of(h.collection(campaign), batch);
        dev.basenft.core.model.SignedTransaction other = h.chain.signMint(call, h.chain.pendingNonceOf(h.chain.minter()),
                h.chain.quoteMint(call));
        h.chain.broadcast(other);
        h.storage.ledger().resyncNonce(h.chain.minter(), h.chain.pendingNonceOf(h.chain.minter()));
        h.chain.laggingNode(h.chain.receipt(other.hash()).orElseThrow().blockNumber() - 1);

        BatchOutcome waiting = h.worker().process(Harness.firstAttempt(batch));

        assertThat(waiting).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(JobOutcomes.of(waiting)).as("minted: no attempt used").isInstanceOf(JobOutcome.Delay.class);
        assertThat(log.linesContaining("the mint is not visible on the node yet")).hasSize(1);
        assertThat(h.storage.ledger().forBatch(batch.id())).as("nothing signed").isEmpty();

        h.chain.noLaggingNode();
        BatchOutcome settled = h.worker().process(Harness.firstAttempt(batch));

        assertThat(settled).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(((BatchOutcome.Completed) settled).receipt().hash()).isEqualTo(other.hash());
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }
}
