package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.testing.InMemoryDistributionQueue;
import dev.basenft.core.testing.InMemoryDistributionQueue.State;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue is healed from the stores: open batches whose jobs were lost or failed are queued again, and only those. */
class QueueSweepTest {

    private final Harness h = new Harness(DistributionSettings.builder().batchSize(2).build());
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    @Test
    void queuesAgainEveryOpenBatchAQueueThatLostItsDataNoLongerHolds() throws Exception {
        Campaign campaign = h.campaignWithContract(5);
        List<Batch> batches = h.distribute(campaign);
        // A Redis restarted without persistence: same stores, an empty queue.
        InMemoryDistributionQueue emptied = new InMemoryDistributionQueue(h.clock, 3, Duration.ofSeconds(5),
                Duration.ofMinutes(5));
        QueueSweep sweep = new QueueSweep(h.storage.batches(), emptied);

        assertThat(sweep.run()).isEqualTo(3);
        assertThat(sweep.run()).as("a second sweep finds every job live").isZero();

        assertThat(emptied.jobIds()).containsExactlyInAnyOrderElementsOf(batches.stream().map(Batch::jobId).toList());
        assertThat(log.linesContaining("[worker] Re-enqueued 3 open batch(es)")).hasSize(1);
    }

    @Test
    void revivesTheJobOfABatchLeftProcessingAfterItsJobFailedAndTheWorkerThenCompletesIt() throws Exception {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        // Workers killed again and again: the queue fails the job for stalling, the batch stays PROCESSING in the stores.
        DistributionJob job = h.queue.take(Duration.ZERO).orElseThrow();
        h.storage.batches().claim(new Claim(batch.id(), "killed-worker", h.clock.instant(),
                h.clock.instant().plus(h.settings.lease())));
        h.queue.finish(job, new JobOutcome.Failed("job stalled more than allowable limit"));
        h.clock.advance(h.settings.lease().plusSeconds(1));

        DistributionWorker worker = new DistributionWorker(h.queue, h.worker(), h.storage.ledger(), h.chain, 1,
                new QueueSweep(h.storage.batches(), h.queue), Duration.ofMillis(50));
        worker.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.queue.state(batch.jobId()).orElseThrow() != State.COMPLETED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            worker.stop(Duration.ofSeconds(5));
        }

        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void leavesCompletedAndFailedBatchesOutOfTheQueue() {
        Campaign campaign = h.campaignWithContract(2);
        h.distribute(campaign);
        InMemoryDistributionQueue other = InMemoryDistributionQueue.withDefaults(h.clock);
        for (Batch open : h.storage.batches().open(Optional.empty(), 10)) {
            Claim claim = new Claim(open.id(), "worker-a", h.clock.instant(), h.clock.instant().plus(h.settings.lease()));
            assertThat(h.storage.batches().claim(claim)).isPresent();
            assertThat(h.storage.batches().fail(claim, "Transaction reverted: contract is paused")).isTrue();
        }

        assertThat(new QueueSweep(h.storage.batches(), other).run()).isZero();
        assertThat(other.jobIds()).isEmpty();
    }
}
