package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase;
import dev.basenft.core.testing.InMemoryDistributionQueue.State;
import dev.basenft.core.testing.InMemoryDistributionQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DistributionWorkerTest {

    private final Harness h = new Harness();
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void batchesAreProcessedOnPlatformThreads() throws Exception {
        // Virtual job loops deadlocked a worker of 96 loops on two cores: class loading pins a virtual thread to its
        // carrier, and both carriers waited for a lock held by a virtual thread that had none left to run on.
        Campaign campaign = h.campaignWithContract(3);
        List<Batch> batches = h.distribute(campaign);
        ProcessBatchUseCase processor = h.worker();
        List<Boolean> virtual = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProcessBatchUseCase recording = command -> {
            virtual.add(Thread.currentThread().isVirtual());
            return processor.process(command);
        };
        DistributionWorker worker = new DistributionWorker(h.queue, recording, h.storage.ledger(), h.chain, 4);

        worker.start();
        try {
            awaitUntil(() -> batches.stream().allMatch(b -> h.queue.state(b.jobId()).orElseThrow() == State.COMPLETED));
        } finally {
            assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
        }

        assertThat(virtual).isNotEmpty().containsOnly(false);
    }

    @Test
    void resyncsTheNonceStartsLogsAndMintsQueuedBatches() throws Exception {
        Campaign campaign = h.campaignWithContract(4);
        Campaign earlier = h.campaignWithContract(1);
        MintCall outside = MintCall.of(h.collection(earlier), h.distribute(earlier).getFirst());
        // The minter spent nonces 0 and 1 outside this ledger; the worker must start at 2.
        h.chain.broadcast(h.chain.signMint(outside, 0, h.chain.quoteMint(outside)));
        h.chain.automine(false);
        MintCall pending = new MintCall(outside.collection(), BatchKey.derive(earlier.id(), 99),
                outside.recipients());
        h.chain.broadcast(h.chain.signMint(pending, 1, h.chain.quoteMint(pending)));
        h.chain.automine(true);
        List<Batch> batches = h.distribute(campaign);
        DistributionWorker worker = new DistributionWorker(h.queue, h.worker(), h.storage.ledger(), h.chain, 2);

        worker.start();
        try {
            assertThat(log.linesContaining("[worker] Distribution worker started")).hasSize(1);
            assertThat(h.storage.ledger().nextNonce(h.chain.minter())).isGreaterThanOrEqualTo(2);
            awaitUntil(() -> h.queue.state(batches.getFirst().jobId()).orElseThrow() == State.COMPLETED);
        } finally {
            assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
        }

        assertThat(log.linesContaining("[worker] Shutting down")).hasSize(1);
        assertThat(h.storage.ledger().forBatch(batches.getFirst().id()).getFirst().nonce()).isEqualTo(2);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThatThrownBy(() -> h.queue.enqueue(batches.getFirst())).as("stop closed the queue")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startsWhileNoRpcAnswersTakesNoJobAndBeginsOnceTheRpcAnswers() throws Exception {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        AtomicInteger processed = new AtomicInteger();
        BatchProcessor processor = h.worker();
        ProcessBatchUseCase counting = command -> {
            processed.incrementAndGet();
            return processor.process(command);
        };
        DistributionWorker worker = new DistributionWorker(h.queue, counting, h.storage.ledger(), h.chain, 1);
        h.chain.failNextCalls(1_000_000);

        worker.start();
        try {
            assertThat(log.linesContaining("[worker] No RPC endpoint answers")).hasSize(1);
            assertThat(log.linesContaining("[worker] Distribution worker started")).isEmpty();
            Thread.sleep(1_500);
            assertThat(processed).as("no job taken while the nonce cannot be resynced").hasValue(0);

            h.chain.failNextCalls(0);

            awaitUntil(() -> h.queue.state(batch.jobId()).orElseThrow() == State.COMPLETED);
            assertThat(log.linesContaining("[worker] Distribution worker started")).hasSize(1);
        } finally {
            assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
        }
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void logsAnUnexpectedErrorAndKeepsWorking() throws Exception {
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = h.distribute(campaign).getFirst();
        InMemoryDistributionQueue queue = new InMemoryDistributionQueue(h.clock, 3, Duration.ZERO, Duration.ofMinutes(5));
        queue.enqueue(batch);
        AtomicInteger calls = new AtomicInteger();
        ProcessBatchUseCase flaky = command -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return new BatchOutcome.AlreadyCompleted(command.batchId());
        };
        DistributionWorker worker = new DistributionWorker(queue, flaky, h.storage.ledger(), h.chain, 1);

        worker.start();
        try {
            awaitUntil(() -> queue.state(batch.jobId()).orElseThrow() == State.COMPLETED);
        } finally {
            worker.stop(Duration.ofSeconds(5));
        }

        assertThat(calls).hasValue(2);
        assertThat(log.linesContaining("Worker error: java.lang.IllegalStateException: boom")).hasSize(1);
        assertThat(queue.lastError(batch.jobId())).hasValueSatisfying(e -> assertThat(e).startsWith("Worker error:"));
    }

    @Test
    void refusesASecondStartAndAZeroConcurrency() throws Exception {
        DistributionWorker worker = new DistributionWorker(h.queue, h.worker(), h.storage.ledger(), h.chain, 1);
        worker.start();
        try {
            assertThatThrownBy(worker::start).hasMessageContaining("already started");
        } finally {
            worker.stop(Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> new DistributionWorker(h.queue, h.worker(), h.storage.ledger(), h.chain, 0))
                .hasMessageContaining("concurrency must be at least 1");
    }
}
