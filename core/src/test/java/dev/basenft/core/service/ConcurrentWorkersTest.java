package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/architecture.md#the-worker: several worker processes on the same stores and chain, racing for the same batches
 * (as duplicate or redelivered jobs would make them), and none mints twice or wastes a nonce, even without the
 * collection's batch-key protection.
 */
class ConcurrentWorkersTest {

    @ParameterizedTest(name = "batch-key protection {0}")
    @ValueSource(booleans = {true, false})
    void fourWorkersRacingOverTheSameBatchesMintEachRecipientOnce(boolean batchKeyProtection) throws Exception {
        Harness h = new Harness(DistributionSettings.builder().batchSize(3).build());
        h.chain.batchKeyProtection(batchKeyProtection);
        Campaign campaign = h.campaignWithContract(36);
        List<Batch> batches = h.distribute(campaign);
        List<BatchProcessor> workers = List.of(h.worker(), h.worker(), h.worker(), h.worker());

        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int w = 0; w < workers.size(); w++) {
                BatchProcessor worker = workers.get(w);
                List<Batch> order = new ArrayList<>(batches);
                Collections.shuffle(order, new Random(w));
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 50 && !allCompleted(h, batches); round++) {
                        for (Batch batch : order) {
                            BatchOutcome outcome = worker.process(Harness.firstAttempt(batch));
                            assertThat(outcome).isNotInstanceOf(BatchOutcome.Failed.class);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(batches.size());
        assertThat(h.chain.mempoolSize()).isZero();
    }

    private static boolean allCompleted(Harness h, List<Batch> batches) {
        return batches.stream().allMatch(b -> h.batch(b).status() == BatchStatus.COMPLETED);
    }
}
