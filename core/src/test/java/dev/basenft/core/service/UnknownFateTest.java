package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch whose transaction may still land is never FAILED, and an RPC outage never fails a batch: each waits, keeps its
 * attempts, and settles once the chain answers.
 */
class UnknownFateTest {

    private final Harness h = new Harness();
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    private Batch pendingInTheMempool(Campaign campaign) {
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.automine(false);
        assertThat(h.process(batch)).as("sent, no receipt yet").isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.chain.mempoolSize()).isEqualTo(1);
        return batch;
    }

    @Test
    void aJsonRpcErrorWhileWaitingForTheReceiptLeavesTheBatchWaitingNotFailed() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = pendingInTheMempool(campaign);
        h.chain.refuseNextCalls(1);

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(JobOutcomes.of(outcome)).as("no attempt used").isInstanceOf(JobOutcome.Delay.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("fate unknown").contains("-32603");
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(h.storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.FAILED, 0L);
        assertThat(log.linesContaining("fate unknown")).hasSize(1);
        assertThat(h.batch(batch).error()).as("the API shows why it waits")
                .hasValueSatisfying(e -> assertThat(e).startsWith("fate unknown").contains("-32603"));

        h.chain.mine();
        assertThat(h.worker().process(Harness.firstAttempt(batch))).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.batch(batch).error()).isEmpty();
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        assertThat(h.storage.ledger().forBatch(batch.id())).as("no second transaction signed").hasSize(1);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aTransportFailureOnTheLastAttemptWithItsTransactionInTheMempoolWaitsForTheReceipt() {
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = pendingInTheMempool(campaign);
        h.chain.failNextCalls(1);

        BatchOutcome outcome = h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3));

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("fate unknown");
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.PROCESSING);

        h.chain.mine();
        assertThat(h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aTransportFailureBeforeSigningOnTheLastAttemptDelaysTheBatchByTheBreakerDelay() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.failNextCalls(1);

        BatchOutcome outcome = h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3));

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).delay()).isEqualTo(h.settings.breakerCooldown());
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("RPC unavailable").contains("did not answer");
        assertThat(h.batch(batch).status()).as("given back, nothing sent").isEqualTo(BatchStatus.PENDING);
        assertThat(h.storage.leaseHolder(batch.id())).isEmpty();
        assertThat(log.linesContaining("waiting the outage out")).hasSize(1);

        assertThat(h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aRefusedBroadcastOfAStoredTransactionWaitsInsteadOfFailing() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        // The write-ahead is stored and the broadcast's answer lost: the transaction is on the node.
        h.chain.automine(false);
        h.chain.loseNextBroadcastResponse();
        assertThat(h.process(batch)).as("a lost answer is an unknown fate, no attempt used")
                .isInstanceOf(BatchOutcome.Delayed.class);
        h.chain.refuseNextCalls(1);

        BatchOutcome outcome = h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3));

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        h.chain.mine();
        assertThat(h.worker().process(new ProcessBatchCommand(batch.id(), 2, 3))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aDeterministicRefusalBeforeAnythingWasSignedStillFailsTheBatch() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.pause(h.collection(campaign));

        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Failed.class);
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.FAILED);
    }

    @Test
    void anOutageLongerThanEveryAttemptNeverFailsABatch() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        BatchProcessor worker = h.worker();
        for (int attempt = 0; attempt < 10; attempt++) {
            h.chain.failNextCalls(1);
            BatchOutcome outcome = worker.process(new ProcessBatchCommand(batch.id(), Math.min(attempt, 2), 3));
            assertThat(outcome).isNotInstanceOf(BatchOutcome.Failed.class);
            h.clock.advance(Duration.ofSeconds(31));
        }
        assertThat(h.batch(batch).status()).isNotEqualTo(BatchStatus.FAILED);
        assertThat(worker.process(new ProcessBatchCommand(batch.id(), 2, 3))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }
}
