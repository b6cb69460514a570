package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.LostClaimException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight workers on eight pooled connections doing what the worker does — claim, write ahead on the one minter wallet —
 * over the same batches at the same time, the way several worker processes share one database.
 */
class ConcurrencyTest {

    private static final int WORKERS = 8;
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static TestDatabase.Schema schema;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.newSchema("concurrency", WORKERS + 2);
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static <T> List<T> race(Worker<T> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return worker.run(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Worker<T> {
        T run(int index) throws Exception;
    }

    @Test
    void eachBatchIsClaimedAndSignedByOneWorkerWithUniqueGaplessNonces() throws Exception {
        PostgresStorage storage = schema.storage();
        List<Batch> batches = Fixtures.plannedBatches(storage, 48);
        Address wallet = Fixtures.randomAddress();
        Map<Batch, String> claimedBy = new ConcurrentHashMap<>();

        List<List<Long>> signed = race(w -> {
            String worker = "worker-" + w;
            List<Long> mine = new ArrayList<>();
            // Every worker goes through every batch, starting at a different one so they collide everywhere.
            for (int k = 0; k < batches.size(); k++) {
                Batch batch = batches.get((k + w * 6) % batches.size());
                Claim claim = new Claim(batch.id(), worker, Fixtures.T0, Fixtures.T0.plus(LEASE));
                if (storage.batches().claim(claim).isEmpty()) {
                    continue;
                }
                claimedBy.merge(batch, worker, (a, b) -> a + "," + b);
                mine.add(storage.transactionLedger().writeAhead(claim, wallet, n -> Fixtures.signedTx(wallet, n)).nonce());
            }
            return mine;
        });

        assertThat(claimedBy).hasSize(48).allSatisfy((batch, workers) -> assertThat(workers).doesNotContain(","));
        List<Long> nonces = signed.stream().flatMap(List::stream).sorted().toList();
        assertThat(nonces).containsExactlyElementsOf(LongStream.range(0, 48).boxed().toList());
        assertThat(storage.transactionLedger().nextNonce(wallet)).isEqualTo(48);
        assertThat(storage.transactionLedger().inFlight(wallet)).isEqualTo(48);
        for (Batch batch : batches) {
            Batch stored = storage.batches().find(batch.id()).orElseThrow();
            List<StoredTransaction> txs = storage.transactionLedger().forBatch(batch.id());
            assertThat(stored.status()).isEqualTo(BatchStatus.SUBMITTED);
            assertThat(stored.attempts()).isEqualTo(1);
            assertThat(txs).hasSize(1);
            assertThat(stored.nonce()).contains(txs.getFirst().nonce());
        }
    }

    @Test
    void aResyncRacingTheWriteAheadsNeverHandsAStoredNonceOutAgain() throws Exception {
        PostgresStorage storage = schema.storage();
        List<Batch> batches = Fixtures.plannedBatches(storage, 7 * 12);
        Address wallet = Fixtures.randomAddress();
        CountDownLatch signers = new CountDownLatch(WORKERS - 1);

        List<List<Long>> signed = race(w -> {
            List<Long> mine = new ArrayList<>();
            if (w == WORKERS - 1) {
                // The eighth worker keeps resyncing as if the chain had seen nothing: the counter may only go up.
                while (signers.getCount() > 0) {
                    storage.transactionLedger().resyncNonce(wallet, 0);
                }
                return mine;
            }
            try {
                for (int k = 0; k < 12; k++) {
                    Batch batch = batches.get(w * 12 + k);
                    Claim claim = new Claim(batch.id(), "worker-" + w, Fixtures.T0, Fixtures.T0.plus(LEASE));
                    storage.batches().claim(claim);
                    mine.add(storage.transactionLedger().writeAhead(claim, wallet, n -> Fixtures.signedTx(wallet, n))
                            .nonce());
                }
            } catch (LostClaimException e) {
                throw new AssertionError("no lease was taken over in this test", e);
            } finally {
                signers.countDown();
            }
            return mine;
        });

        List<Long> nonces = signed.stream().flatMap(List::stream).sorted().toList();
        assertThat(nonces).doesNotHaveDuplicates().hasSize(7 * 12);
        assertThat(nonces).containsExactlyElementsOf(LongStream.range(0, 7 * 12).boxed().toList());
        assertThat(storage.transactionLedger().nextNonce(wallet)).isEqualTo(7 * 12);
    }
}
