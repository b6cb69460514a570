package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.testing.ForwardingChain;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process's fresh transactions reach the node in nonce order, even when the thread holding the lower nonce is slower
 * to broadcast it; and a stalled lower nonce holds the ones above it back for a bounded time only.
 */
class BroadcastOrderTest {

    @Test
    void aHigherNonceWaitsUntilTheLowerOneIsSent() throws Exception {
        BroadcastOrder order = new BroadcastOrder(Duration.ofSeconds(5));
        order.signed(7);
        order.signed(8);
        CompletableFuture<Boolean> eight = CompletableFuture.supplyAsync(() -> order.awaitTurn(8),
                Executors.newSingleThreadExecutor());
        Thread.sleep(100);
        assertThat(eight).as("8 waits while 7 is unsent").isNotDone();

        order.done(7);

        assertThat(eight.get(2, TimeUnit.SECONDS)).as("8's turn came").isTrue();
        assertThat(order.awaitTurn(7)).as("the lowest never waits").isTrue();
    }

    @Test
    void aStalledLowerNonceHoldsTheOthersBackForTheMaximumWaitOnly() {
        BroadcastOrder order = new BroadcastOrder(Duration.ofMillis(150));
        order.signed(1);
        order.signed(2);
        long t0 = System.nanoTime();

        boolean turn = order.awaitTurn(2);

        assertThat(turn).as("gave up waiting").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(140), Duration.ofSeconds(2));
        order.done(2);
        order.done(1);
        assertThat(order.unsentCount()).isZero();
    }

    @Test
    void aLowerNonceWhoseBroadcastNeverComesCostsOneWaitNotOnePerLaterBroadcast() {
        BroadcastOrder order = new BroadcastOrder(Duration.ofMillis(150));
        order.signed(1); // its thread dies before sending: done(1) never comes
        order.signed(2);
        order.signed(3);
        assertThat(order.awaitTurn(2)).as("gave up waiting for 1").isFalse();
        order.done(2);
        long t0 = System.nanoTime();

        boolean turn = order.awaitTurn(3);

        assertThat(turn).as("3 no longer waits for 1").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
        assertThat(order.unsentCount()).as("only 3 is left").isOne();
    }

    @Test
    void aNonPositiveWaitIsRefused() {
        assertThatThrownBy(() -> new BroadcastOrder(Duration.ZERO)).hasMessageContaining("maxWait");
    }

    @Test
    void twoBatchesOfOneProcessReachTheNodeInNonceOrderWhenTheLowerOneIsSlowToBroadcast() throws Exception {
        Harness h = new Harness(DistributionSettings.builder().batchSize(1).build());
        Campaign campaign = h.campaignWithContract(2);
        List<Batch> planned = h.distribute(campaign);
        assertThat(planned).hasSize(2);
        List<Long> arrived = new CopyOnWriteArrayList<>();
        CountDownLatch firstAtTheNode = new CountDownLatch(1);
        // The first transaction's thread is held at the node's door for a while, as a descheduled thread would be.
        ForwardingChain slowFirst = new ForwardingChain(h.chain) {
            @Override
            public BroadcastResult broadcast(SignedTransaction transaction) {
                if (firstAtTheNode.getCount() == 1) {
                    firstAtTheNode.countDown();
                    // Until the second batch has signed its (higher) nonce, and a little longer: its thread is then on
                    // its way to the node too.
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (h.storage.ledger().forBatch(planned.get(1).id()).isEmpty() && System.nanoTime() < until) {
                        pause(Duration.ofMillis(5));
                    }
                    pause(Duration.ofMillis(150));
                }
                arrived.add(transaction.nonce());
                return super.broadcast(transaction);
            }
        };
        BatchProcessor worker = new BatchProcessor(h.storage.campaigns(), h.storage.batches(), h.storage.ledger(), slowFirst,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock), h.clock, h.settings,
                new WorkerIdentity("worker-1"), h.clock::advance);

        // Threads of their own: the common pool may have a single thread on a small machine.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Future<BatchOutcome> first = threads.submit(() -> worker.process(Harness.firstAttempt(planned.get(0))));
        assertThat(firstAtTheNode.await(5, TimeUnit.SECONDS)).isTrue();
        Future<BatchOutcome> second = threads.submit(() -> worker.process(Harness.firstAttempt(planned.get(1))));

        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(arrived).as("nonces in the order they reached the node").hasSize(2).isSorted();
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        threads.shutdownNow();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
