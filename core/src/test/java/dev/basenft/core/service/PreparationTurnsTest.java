package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.testing.ForwardingChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker process prepares half a block's worth of batches at once (reads, claim, quote, write-ahead, broadcast), however many
 * threads it runs; a batch waiting for its receipt holds no turn.
 */
class PreparationTurnsTest {

    /** Twelve in flight, as a chain of four batches a block is sized: two prepared at once. */
    private static final DistributionSettings TWO_AT_ONCE = DistributionSettings.builder().batchSize(1).maxInFlight(12)
            .build();

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void halfABlocksWorthOfTheInFlightCapIsPreparedAtOnceAndAtLeastTwo() {
        assertThat(PreparationTurns.forSettings(TWO_AT_ONCE).atOnce()).isEqualTo(2);
        assertThat(PreparationTurns.forSettings(DistributionSettings.builder().maxInFlight(72).build()).atOnce())
                .as("24 batches a block at 400M gas").isEqualTo(12);
        assertThat(PreparationTurns.forSettings(DistributionSettings.builder().maxInFlight(8).build()).atOnce())
                .as("two a block at 30M gas, in flight as the sizing's minimum").isEqualTo(2);
        assertThat(PreparationTurns.forSettings(DistributionSettings.builder().maxInFlight(1).build()).atOnce())
                .isEqualTo(2);
        assertThatThrownBy(() -> new PreparationTurns(0)).hasMessageContaining("atOnce");
    }

    @Test
    void aTurnIsGivenBackOnceHoweverOftenItIsClosed() {
        PreparationTurns turns = new PreparationTurns(2);
        PreparationTurns.Turn turn = turns.take();
        assertThat(turns.free()).isOne();

        turn.close();
        turn.close();

        assertThat(turns.free()).isEqualTo(2);
    }

    @Test
    void fiveBatchesTakenAtOnceArePreparedTwoAtATimeAndAllAreMinted() throws Exception {
        Harness h = new Harness(TWO_AT_ONCE);
        Campaign campaign = h.campaignWithContract(5);
        List<Batch> batches = h.distribute(campaign);
        AtomicInteger quoting = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ForwardingChain held = new ForwardingChain(h.chain) {
            @Override
            public MintQuote quoteMint(MintCall call) {
                mostAtOnce.accumulateAndGet(quoting.incrementAndGet(), Math::max);
                try {
                    await(go);
                    return super.quoteMint(call);
                } finally {
                    quoting.decrementAndGet();
                }
            }
        };
        BatchProcessor worker = worker(h, held, h.clock::advance);

        List<Future<BatchOutcome>> outcomes = new ArrayList<>();
        for (Batch batch : batches) {
            outcomes.add(threads.submit(() -> worker.process(Harness.firstAttempt(batch))));
        }
        awaitUntil(() -> quoting.get() >= 2);
        // The other three threads have their jobs but wait for a turn: none of them reads, claims or quotes meanwhile.
        Thread.sleep(200);
        assertThat(quoting).as("batches being quoted").hasValue(2);
        assertThat(h.storage.batches().byCampaign(campaign.id()).stream()
                .filter(b -> b.status() != dev.basenft.core.model.BatchStatus.PENDING)).as("batches claimed").hasSize(2);

        go.countDown();

        for (Future<BatchOutcome> outcome : outcomes) {
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Completed.class);
        }
        assertThat(mostAtOnce).as("most batches quoted at once").hasValue(2);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void batchesWaitingForTheirReceiptsHoldNoTurnSoTheNextBatchIsPreparedMeanwhile() throws Exception {
        Harness h = new Harness(TWO_AT_ONCE);
        Campaign campaign = h.campaignWithContract(3);
        List<Batch> batches = h.distribute(campaign);
        h.chain.automine(false);
        CountDownLatch waiting = new CountDownLatch(2);
        CountDownLatch mined = new CountDownLatch(1);
        // The first two batches' receipt waits pause until the third batch has been sent.
        Sleeper untilMined = pause -> {
            waiting.countDown();
            await(mined);
            h.clock.advance(pause);
        };
        BatchProcessor worker = worker(h, h.chain, untilMined);
        Future<BatchOutcome> first = threads.submit(() -> worker.process(Harness.firstAttempt(batches.get(0))));
        Future<BatchOutcome> second = threads.submit(() -> worker.process(Harness.firstAttempt(batches.get(1))));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).as("both wait for their receipts").isTrue();

        Future<BatchOutcome> third = threads.submit(() -> worker.process(Harness.firstAttempt(batches.get(2))));
        awaitUntil(() -> !h.storage.ledger().forBatch(batches.get(2).id()).isEmpty());

        h.chain.automine(true);
        h.chain.mine();
        mined.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(third.get(10, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    private static BatchProcessor worker(Harness h, dev.basenft.core.port.out.Chain chain, Sleeper sleeper) {
        return new BatchProcessor(h.storage.campaigns(), h.storage.batches(), h.storage.ledger(), chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock), h.clock, h.settings,
                new WorkerIdentity("worker-1"), sleeper);
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
