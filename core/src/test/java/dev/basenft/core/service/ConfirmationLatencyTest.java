package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.NewBlocks;
import dev.basenft.core.testing.ForwardingChain;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How soon a receipt is acted on: a receipt the broadcast returned ({@code eth_sendRawTransactionSync}) settles the batch
 * without another look; a waiter looks again when a new block is known rather than after a fixed sleep; and a receipt in a
 * block the node has not sealed (a Flashblocks preconfirmation) is acted on only when preconfirmations are accepted.
 */
class ConfirmationLatencyTest {

    /** Counts receipt lookups. */
    private static final class CountingChain extends ForwardingChain {
        final AtomicInteger statusCalls = new AtomicInteger();

        CountingChain(Chain delegate) {
            super(delegate);
        }

        @Override
        public TransactionStatus status(TxHash hash) {
            statusCalls.incrementAndGet();
            return super.status(hash);
        }
    }

    private static Batch singleBatch(Harness h, Campaign campaign) {
        List<Batch> batches = h.distribute(campaign);
        assertThat(batches).hasSize(1);
        return batches.getFirst();
    }

    private static BatchProcessor worker(Harness h, Chain chain, NewBlocks blocks) {
        return new BatchProcessor(h.storage.campaigns(), h.storage.batches(), h.storage.ledger(), chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock), h.clock, h.settings, new WorkerIdentity("w"),
                blocks, WorkerEvents.NONE);
    }

    @Test
    void aReceiptReturnedWithTheBroadcastSettlesTheBatchWithoutLookingItUp() {
        Harness h = new Harness();
        h.chain.receiptsOnBroadcast(true);
        Batch batch = singleBatch(h, h.campaignWithContract(3));
        CountingChain counting = new CountingChain(h.chain);

        BatchOutcome outcome = worker(h, counting, h.chain).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(counting.statusCalls).as("no eth_getTransactionReceipt after the sync broadcast").hasValue(0);
        h.assertEveryRecipientMintedExactlyOnce(h.campaign(batch.campaignId()));
    }

    @Test
    void aReturnedReceiptStillWaitsForItsConfirmations() {
        Harness h = new Harness(DistributionSettings.builder().confirmations(2).build());
        h.chain.receiptsOnBroadcast(true);
        Batch batch = singleBatch(h, h.campaignWithContract(2));

        BatchOutcome outcome = worker(h, h.chain, h.chain).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("awaiting confirmations: ");
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
    }

    @Test
    void aWaiterLooksAgainAsSoonAsABlockArrivesWithoutSleepingThePollInterval() {
        Harness h = new Harness(DistributionSettings.builder().receiptPollInterval(Duration.ofSeconds(30)).build());
        h.chain.automine(false);
        Batch batch = singleBatch(h, h.campaignWithContract(2));
        Instant start = h.clock.instant();
        List<Duration> waits = new ArrayList<>();
        // A block arrives during each wait, before the poll interval is up: no time passes on the clock.
        NewBlocks blockDuringEachWait = new NewBlocks() {
            @Override
            public long head() {
                return h.chain.head();
            }

            @Override
            public long awaitAbove(long seen, Duration atMost) {
                waits.add(atMost);
                h.chain.mine();
                return h.chain.head();
            }
        };

        BatchOutcome outcome = worker(h, h.chain, blockDuringEachWait).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(waits).as("one wait, bounded by the poll interval").containsExactly(Duration.ofSeconds(30));
        assertThat(h.clock.instant()).isEqualTo(start);
    }

    @Test
    void aWaiterOnTheFakeChainWakesWhenAnotherThreadMinesABlock() throws Exception {
        Harness h = new Harness();
        h.chain.automine(false);
        long head = h.chain.head();
        Thread miner = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            h.chain.mine();
        });

        long now = h.chain.awaitAbove(head, Duration.ofMinutes(5));

        miner.join();
        assertThat(now).isEqualTo(head + 1);
        assertThat(h.chain.awaitAbove(now, Duration.ofMillis(1))).as("times out with the head unchanged").isEqualTo(now);
    }

    @Test
    void withoutPreconfirmationsAReceiptAboveTheLatestBlockIsNotActedOnEvenWithZeroConfirmations() {
        Harness h = new Harness();
        h.chain.unsealedBlocks(1);
        Batch batch = singleBatch(h, h.campaignWithContract(2));

        BatchOutcome first = h.process(batch);

        assertThat(first).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) first).reason()).startsWith("awaiting confirmations: ")
                .contains("not sealed yet");
        assertThat(h.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);

        h.chain.unsealedBlocks(0);
        BatchOutcome second = h.process(batch);

        assertThat(second).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(h.campaign(batch.campaignId()));
    }

    @Test
    void aPreconfirmedReceiptIsWaitedOutWithinTheReceiptWaitOnceItsBlockIsSealed() {
        Harness h = new Harness();
        h.chain.unsealedBlocks(1);
        h.chain.receiptsOnBroadcast(true);
        Batch batch = singleBatch(h, h.campaignWithContract(2));
        NewBlocks sealOnWait = new NewBlocks() {
            @Override
            public long head() {
                return h.chain.head();
            }

            @Override
            public long awaitAbove(long seen, Duration atMost) {
                h.chain.unsealedBlocks(0);
                return h.chain.head();
            }
        };

        BatchOutcome outcome = worker(h, h.chain, sealOnWait).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
    }

    @Test
    void withPreconfirmationsAcceptedAReceiptAboveTheLatestBlockCountsAtDepthZero() {
        Harness h = new Harness(DistributionSettings.builder().acceptPreconfirmations(true).build());
        h.chain.unsealedBlocks(1);
        Batch batch = singleBatch(h, h.campaignWithContract(2));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(h.campaign(batch.campaignId()));
    }

    @Test
    void withPreconfirmationsAcceptedConfirmationsAboveZeroStillCountFromTheSealedHead() {
        Harness h = new Harness(DistributionSettings.builder().acceptPreconfirmations(true).confirmations(1).build());
        h.chain.unsealedBlocks(1);
        Batch batch = singleBatch(h, h.campaignWithContract(2));

        BatchOutcome outcome = h.process(batch);

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).startsWith("awaiting confirmations: ");
    }
}
