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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight workers doing what the worker does — claim, write ahead on the one minter wallet — over the same batches at the
 * same time, in two storages on one schema, the way several worker processes (each with threads of its own) share one
 * database.
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

    /** A second storage on the test schema, as another worker process would open it. */
    private static PostgresStorage anotherProcess(int poolSize) {
        return PostgresStorage.builder().url(TestDatabase.url()).schema(schema.name()).maximumPoolSize(poolSize).build();
    }

    @Test
    void eachBatchIsClaimedAndSignedByOneWorkerWithUniqueGaplessNonces() throws Exception {
        PostgresStorage storage = schema.storage();
        List<Batch> batches = Fixtures.plannedBatches(storage, 48);
        Address wallet = Fixtures.randomAddress();
        Map<Batch, String> claimedBy = new ConcurrentHashMap<>();

        try (PostgresStorage other = anotherProcess(WORKERS / 2)) {
            List<List<Long>> signed = race(w -> claimAndSignAll(w % 2 == 0 ? storage : other, w, batches, wallet,
                    claimedBy));
            assertThat(claimedBy).hasSize(48).allSatisfy((batch, workers) -> assertThat(workers).doesNotContain(","));
            List<Long> nonces = signed.stream().flatMap(List::stream).sorted().toList();
            assertThat(nonces).containsExactlyElementsOf(LongStream.range(0, 48).boxed().toList());
        }
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

    /** Worker {@code w} goes through every batch, starting at a different one so the workers collide everywhere. */
    private static List<Long> claimAndSignAll(PostgresStorage storage, int w, List<Batch> batches, Address wallet,
            Map<Batch, String> claimedBy) {
        String worker = "worker-" + w;
        List<Long> mine = new ArrayList<>();
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
    }

    @Test
    void writeAheadsWaitingForTheWalletLeaveThePooledConnectionsToOtherWork() throws Exception {
        Address wallet = Fixtures.randomAddress();
        ExecutorService threads = Executors.newCachedThreadPool();
        // A pool of two, three write-aheads of this process waiting while another process holds the wallet's counter.
        try (PostgresStorage process = anotherProcess(2);
                HeldWalletCounter otherProcess = HeldWalletCounter.hold(schema.name(), wallet)) {
            List<Batch> batches = Fixtures.plannedBatches(process, 3);
            List<Future<StoredTransaction>> writes = new ArrayList<>();
            for (Batch batch : batches) {
                Claim claim = new Claim(batch.id(), "worker", Fixtures.T0, Fixtures.T0.plus(LEASE));
                process.batches().claim(claim).orElseThrow();
                writes.add(threads.submit(() -> process.transactionLedger().writeAhead(claim, wallet,
                        n -> Fixtures.signedTx(wallet, n))));
            }
            HeldWalletCounter.awaitWaiters(1);
            // Time for the other two to take what they would take: connections queued on the lock, or turns in memory.
            TimeUnit.MILLISECONDS.sleep(300);

            // The other work of the process: a read that needs a connection while the write-aheads wait.
            Future<Optional<Batch>> read = threads.submit(() -> process.batches().find(batches.getFirst().id()));
            try {
                assertThat(read.get(5, TimeUnit.SECONDS)).isPresent();
            } catch (TimeoutException e) {
                throw new AssertionError("a read waited for a pooled connection while write-aheads held them all,"
                        + " queued on the wallet's row lock", e);
            } finally {
                otherProcess.release();
            }
            List<Long> nonces = new ArrayList<>();
            for (Future<StoredTransaction> write : writes) {
                nonces.add(write.get(30, TimeUnit.SECONDS).nonce());
            }
            assertThat(nonces).containsExactlyInAnyOrder(0L, 1L, 2L);
        } finally {
            threads.shutdownNow();
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
