package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.out.CampaignHaltedException;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.LostClaimException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write-aheads of one process that wait for the wallet at the same moment are written in one transaction, and each
 * keeps the outcome it would have had alone. Each test has another process hold the wallet's counter while the
 * write-aheads queue behind it, as a second worker on the same wallet does.
 */
class WriteAheadGroupsTest {

    private static final Duration LEASE = Duration.ofMinutes(2);
    private static TestDatabase.Schema schema;
    private ExecutorService threads;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.newSchema("groups", 4);
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @BeforeEach
    void startThreads() {
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static PostgresStorage storage() {
        return schema.storage();
    }

    private static Claim claimed(Batch batch) {
        Claim claim = new Claim(batch.id(), "worker", Fixtures.T0, Fixtures.T0.plus(LEASE));
        storage().batches().claim(claim).orElseThrow();
        return claim;
    }

    private Future<Optional<StoredTransaction>> writeAhead(Claim claim, Address wallet, int maxInFlight,
            LongFunction<SignedTransaction> signer) {
        return threads.submit(() -> storage().transactionLedger().writeAheadWithin(claim, wallet, maxInFlight, 0, signer));
    }

    /**
     * Starts the first write-ahead and waits until it waits on the held counter, then starts the rest, which wait for
     * their turn in this process behind it; pauses between them, so they queue in the order given.
     */
    private List<Future<Optional<StoredTransaction>>> queueBehind(HeldWalletCounter held, List<Claim> claims,
            Address wallet, int maxInFlight, List<LongFunction<SignedTransaction>> signers) throws Exception {
        List<Future<Optional<StoredTransaction>>> writes = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            writes.add(writeAhead(claims.get(i), wallet, maxInFlight, signers.get(i)));
            if (i == 0) {
                HeldWalletCounter.awaitWaiters(1);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        // Time for the last to take its place in the queue.
        TimeUnit.MILLISECONDS.sleep(200);
        held.release();
        return writes;
    }

    /** How many database transactions wrote the stored transactions of these batches (each row's {@code xmin}). */
    private static int writingTransactions(List<Batch> batches) throws SQLException {
        try (Connection c = TestDatabase.connect();
                PreparedStatement count = c.prepareStatement("SELECT count(DISTINCT xmin::text) FROM " + schema.name()
                        + ".signed_transactions WHERE batch_id = ANY(?)")) {
            count.setArray(1, c.createArrayOf("uuid", batches.stream().map(b -> b.id().value()).toArray()));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void aWriteAheadGoesThroughWhileEveryConnectionOfTheSharedPoolIsTaken() throws Exception {
        // The batches that wait for the wallet's turn hold the shared pool's connections with their reads and claims;
        // the thread whose turn it is must not queue behind them.
        try (TestDatabase.Schema own = TestDatabase.newSchema("own_connections", 1)) {
            Address wallet = Fixtures.randomAddress();
            Batch batch = Fixtures.plannedBatches(own.storage(), 1).getFirst();
            Claim claim = new Claim(batch.id(), "worker", Fixtures.T0, Fixtures.T0.plus(LEASE));
            own.storage().batches().claim(claim).orElseThrow();
            Future<Optional<StoredTransaction>> write;
            try (Connection taken = own.storage().dataSource().getConnection()) {
                write = threads.submit(() -> own.storage().transactionLedger().writeAheadWithin(claim, wallet, 10, 0,
                        n -> Fixtures.signedTx(wallet, n)));
                assertThat(write.get(10, TimeUnit.SECONDS)).as("written while the pool's one connection is taken")
                        .hasValueSatisfying(tx -> assertThat(tx.nonce()).isZero());
            }
            assertThat(own.storage().transactionLedger().forBatch(batch.id())).hasSize(1);
        }
    }

    @Test
    void theWriteAheadsWaitingBehindAnotherProcessAreWrittenInOneTransaction() throws Exception {
        Address wallet = Fixtures.randomAddress();
        List<Batch> batches = Fixtures.plannedBatches(storage(), 6);
        List<Claim> claims = batches.stream().map(WriteAheadGroupsTest::claimed).toList();
        List<LongFunction<SignedTransaction>> signers = batches.stream()
                .<LongFunction<SignedTransaction>>map(b -> n -> Fixtures.signedTx(wallet, n))
                .toList();

        List<Future<Optional<StoredTransaction>>> writes;
        try (HeldWalletCounter held = HeldWalletCounter.hold(schema.name(), wallet)) {
            writes = queueBehind(held, claims, wallet, 100, signers);
        }

        List<Long> nonces = new ArrayList<>();
        for (Future<Optional<StoredTransaction>> write : writes) {
            nonces.add(write.get(30, TimeUnit.SECONDS).orElseThrow().nonce());
        }
        // In the order they came: the first alone (it was waiting in the database), the five behind it together.
        assertThat(nonces).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(writingTransactions(batches.subList(1, 6))).as("transactions that wrote the five waiting").isOne();
        assertThat(storage().transactionLedger().nextNonce(wallet)).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            Batch stored = storage().batches().find(batches.get(i).id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(BatchStatus.SUBMITTED);
            assertThat(stored.nonce()).contains((long) i);
            assertThat(storage().transactionLedger().forBatch(batches.get(i).id())).singleElement()
                    .satisfies(tx -> assertThat(tx.nonce()).isEqualTo(stored.nonce().orElseThrow()));
        }
    }

    @Test
    void eachWriteAheadOfAGroupKeepsTheOutcomeItWouldHaveHadAlone() throws Exception {
        Address wallet = Fixtures.randomAddress();
        List<Batch> batches = Fixtures.plannedBatches(storage(), 6);
        List<Batch> ofAPausedCampaign = Fixtures.plannedBatches(storage(), 1);
        storage().campaigns().updateStatus(ofAPausedCampaign.getFirst().campaignId(), CampaignStatus.DRAFT,
                CampaignStatus.PROCESSING);
        Claim paused = claimed(ofAPausedCampaign.getFirst());
        storage().campaigns().updateStatus(ofAPausedCampaign.getFirst().campaignId(), CampaignStatus.PROCESSING,
                CampaignStatus.PAUSED);
        Claim first = claimed(batches.get(0));
        Claim lost = new Claim(batches.get(1).id(), "worker", Fixtures.T0, Fixtures.T0.plus(LEASE));
        storage().batches().claim(new Claim(batches.get(1).id(), "another worker", Fixtures.T0,
                Fixtures.T0.plus(LEASE))).orElseThrow();
        // The same worker's older claim of a batch it claimed again since: its lease's end is no longer the row's.
        Claim stale = claimed(batches.get(5));
        storage().batches().claim(new Claim(batches.get(5).id(), stale.worker(), Fixtures.T0.plusSeconds(1),
                Fixtures.T0.plus(LEASE).plusSeconds(1))).orElseThrow();
        Claim failingSigner = claimed(batches.get(2));
        Claim second = claimed(batches.get(3));
        Claim third = claimed(batches.get(4));
        LongFunction<SignedTransaction> signs = n -> Fixtures.signedTx(wallet, n);
        LongFunction<SignedTransaction> fails = n -> {
            throw new IllegalStateException("the key store is locked");
        };
        LongFunction<SignedTransaction> wrongNonce = n -> Fixtures.signedTx(wallet, n + 7);

        List<Future<Optional<StoredTransaction>>> writes;
        try (HeldWalletCounter held = HeldWalletCounter.hold(schema.name(), wallet)) {
            writes = queueBehind(held, List.of(first, lost, paused, failingSigner, second, third, stale), wallet, 100,
                    List.of(signs, signs, signs, fails, wrongNonce, signs, signs));
        }

        assertThat(writes.get(0).get(30, TimeUnit.SECONDS)).hasValueSatisfying(tx -> assertThat(tx.nonce()).isZero());
        assertThat(failure(writes.get(1))).isInstanceOf(LostClaimException.class);
        assertThat(failure(writes.get(2))).isInstanceOfSatisfying(CampaignHaltedException.class,
                e -> assertThat(e.status()).isEqualTo(CampaignStatus.PAUSED));
        assertThat(failure(writes.get(3))).hasMessage("the key store is locked");
        assertThat(failure(writes.get(4))).isInstanceOf(IllegalStateException.class).hasMessageContaining("nonce 1 of");
        // The refused ones used no nonce: the last takes the one after the first's.
        assertThat(writes.get(5).get(30, TimeUnit.SECONDS)).hasValueSatisfying(tx -> assertThat(tx.nonce()).isOne());
        assertThat(failure(writes.get(6))).isInstanceOf(LostClaimException.class);
        assertThat(storage().transactionLedger().nextNonce(wallet)).isEqualTo(2);
        for (Claim refused : List.of(lost, paused, failingSigner, second, stale)) {
            assertThat(storage().transactionLedger().forBatch(refused.batchId())).isEmpty();
            assertThat(storage().batches().find(refused.batchId()).orElseThrow().status())
                    .isEqualTo(BatchStatus.PROCESSING);
        }
    }

    @Test
    void theCapCountsTheTransactionsSignedEarlierInTheSameGroup() throws Exception {
        Address wallet = Fixtures.randomAddress();
        List<Batch> batches = Fixtures.plannedBatches(storage(), 5);
        List<Claim> claims = batches.stream().map(WriteAheadGroupsTest::claimed).toList();
        LongFunction<SignedTransaction> signs = n -> Fixtures.signedTx(wallet, n);

        List<Future<Optional<StoredTransaction>>> writes;
        try (HeldWalletCounter held = HeldWalletCounter.hold(schema.name(), wallet)) {
            writes = queueBehind(held, claims, wallet, 3, List.of(signs, signs, signs, signs, signs));
        }

        List<Optional<Long>> nonces = new ArrayList<>();
        for (Future<Optional<StoredTransaction>> write : writes) {
            nonces.add(write.get(30, TimeUnit.SECONDS).map(StoredTransaction::nonce));
        }
        // A cap of 3: the first alone, two more in the group, the last two find it full.
        assertThat(nonces).containsExactly(Optional.of(0L), Optional.of(1L), Optional.of(2L), Optional.empty(),
                Optional.empty());
        assertThat(storage().transactionLedger().inFlight(wallet)).isEqualTo(3);
        assertThat(storage().transactionLedger().nextNonce(wallet)).isEqualTo(3);
    }

    @Test
    void aSubmittedBatchSignedAgainInAGroupCountsOnceAgainstTheCap() throws Exception {
        Address wallet = Fixtures.randomAddress();
        List<Batch> batches = Fixtures.plannedBatches(storage(), 3);
        Claim first = claimed(batches.get(0));
        Claim resigned = claimed(batches.get(1));
        Claim after = claimed(batches.get(2));
        LongFunction<SignedTransaction> signs = n -> Fixtures.signedTx(wallet, n);
        // Batch 1 is SUBMITTED with nonce 0; it is signed again (a new nonce once the old one is known spent).
        storage().transactionLedger().writeAhead(resigned, wallet, signs);

        List<Future<Optional<StoredTransaction>>> writes;
        try (HeldWalletCounter held = HeldWalletCounter.hold(schema.name(), wallet)) {
            writes = queueBehind(held, List.of(first, resigned, after), wallet, 3, List.of(signs, signs, signs));
        }

        // Alone, one after another: 1 for the first (batch 1's nonce 0 unmined), 2 for batch 1 again (the first's 1),
        // 3 for the last (the first's 1 and batch 1's 2: two others, under the cap of 3).
        List<Optional<Long>> nonces = new ArrayList<>();
        for (Future<Optional<StoredTransaction>> write : writes) {
            nonces.add(write.get(30, TimeUnit.SECONDS).map(StoredTransaction::nonce));
        }
        assertThat(nonces).containsExactly(Optional.of(1L), Optional.of(2L), Optional.of(3L));
        assertThat(storage().batches().find(resigned.batchId()).orElseThrow().nonce()).contains(2L);
    }

    @Test
    void aRowTheDatabaseRefusesFailsOnlyItsOwnWriteAheadAndTheRestOfTheGroupIsWritten() throws Exception {
        Address wallet = Fixtures.randomAddress();
        List<Batch> batches = Fixtures.plannedBatches(storage(), 5);
        StoredTransaction earlier = storage().transactionLedger().writeAhead(claimed(batches.get(0)), wallet,
                n -> Fixtures.signedTx(wallet, n));
        List<Claim> claims = batches.subList(1, 5).stream().map(WriteAheadGroupsTest::claimed).toList();
        LongFunction<SignedTransaction> signs = n -> Fixtures.signedTx(wallet, n);
        // A signer handing back a transaction whose hash is stored already: the database refuses the row.
        LongFunction<SignedTransaction> repeats = n -> new SignedTransaction(earlier.transaction().hash(),
                earlier.transaction().raw(), wallet, n, 300_000, earlier.transaction().fees());

        List<Future<Optional<StoredTransaction>>> writes;
        try (HeldWalletCounter held = HeldWalletCounter.hold(schema.name(), wallet)) {
            writes = queueBehind(held, claims, wallet, 100, List.of(signs, signs, repeats, signs));
        }

        assertThat(failure(writes.get(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(earlier.transaction().hash().value())
                .hasMessageContaining("already stored");
        List<Long> written = new ArrayList<>();
        for (int i : List.of(0, 1, 3)) {
            written.add(writes.get(i).get(30, TimeUnit.SECONDS).orElseThrow().nonce());
        }
        assertThat(written).containsExactly(1L, 2L, 3L);
        assertThat(storage().transactionLedger().nextNonce(wallet)).isEqualTo(4);
        assertThat(storage().transactionLedger().forBatch(claims.get(2).batchId())).isEmpty();
        assertThat(storage().transactionLedger().transactionsFrom(wallet, 0)).extracting(StoredTransaction::nonce)
                .containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void anErrorInASignerFailsEveryWriteAheadOfItsGroupAndLeavesNothingHalfWritten() throws Exception {
        Address wallet = Fixtures.randomAddress();
        List<Batch> batches = Fixtures.plannedBatches(storage(), 5);
        List<Claim> claims = batches.stream().map(WriteAheadGroupsTest::claimed).toList();
        LongFunction<SignedTransaction> signs = n -> Fixtures.signedTx(wallet, n);
        LongFunction<SignedTransaction> breaks = n -> {
            throw new AssertionError("the signer broke");
        };

        List<Future<Optional<StoredTransaction>>> writes;
        try (HeldWalletCounter held = HeldWalletCounter.hold(schema.name(), wallet)) {
            writes = queueBehind(held, claims.subList(0, 4), wallet, 100, List.of(signs, signs, breaks, signs));
        }

        assertThat(writes.get(0).get(30, TimeUnit.SECONDS)).hasValueSatisfying(tx -> assertThat(tx.nonce()).isZero());
        for (int i = 1; i < 4; i++) {
            assertThat(failure(writes.get(i))).isInstanceOf(AssertionError.class).hasMessage("the signer broke");
            assertThat(storage().transactionLedger().forBatch(claims.get(i).batchId())).isEmpty();
        }
        assertThat(storage().transactionLedger().nextNonce(wallet)).isOne();
        // The wallet's turn is free again: the next write-ahead goes through.
        assertThat(writeAhead(claims.get(4), wallet, 100, signs).get(30, TimeUnit.SECONDS))
                .hasValueSatisfying(tx -> assertThat(tx.nonce()).isOne());
    }

    private static Throwable failure(Future<?> write) throws Exception {
        try {
            write.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the write-ahead succeeded");
    }
}
