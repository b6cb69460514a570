package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.IdempotencyRecords;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Invalid values that reach the adapter: a clear exception naming the problem, and nothing half-written. */
class BadDataTest {

    private static final int ROWS = 10_000;
    private static TestDatabase.Schema schema;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.newSchema("bad_data", 2);
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static PostgresStorage storage() {
        return schema.storage();
    }

    private static long rowsOf(CampaignId campaign) {
        return schema.count("recipients WHERE campaign_id = '" + campaign + "'");
    }

    /** {@link #ROWS} fresh recipients, the last one made by {@code last} (given its 1-based row number). */
    private static Iterator<NewRecipient> upload(IntFunction<NewRecipient> last) {
        return new Iterator<>() {
            private int row;

            @Override
            public boolean hasNext() {
                return row < ROWS;
            }

            @Override
            public NewRecipient next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                row++;
                return row == ROWS ? last.apply(row) : NewRecipient.of(Fixtures.randomAddress());
            }
        };
    }

    @Test
    void aNullLastRowStoresNoneOfTheTenThousandAndNamesTheRow() {
        Campaign campaign = Fixtures.newCampaign(storage());

        assertThatThrownBy(() -> storage().recipients().addAll(campaign.id(), upload(row -> null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#10000")
                .hasMessageContaining("nothing was stored");

        assertThat(rowsOf(campaign.id())).isZero();
    }

    @Test
    void anUploadWhoseSourceFailsAtTheLastRowStoresNoneOfTheTenThousand() {
        // The caller's iterator failing (a parse error, a dropped request body) after several COPY buffers went out.
        Campaign campaign = Fixtures.newCampaign(storage());

        assertThatThrownBy(() -> storage().recipients().addAll(campaign.id(), upload(row -> {
            throw new IllegalStateException("upload body ended early at row " + row);
        }))).isInstanceOf(IllegalStateException.class).hasMessage("upload body ended early at row 10000");

        assertThat(rowsOf(campaign.id())).isZero();
        assertThat(storage().recipients().addAll(campaign.id(), List.of(NewRecipient.of(Fixtures.randomAddress()))
                .iterator()).added()).as("the pooled connection is clean again").isEqualTo(1);
    }

    @Test
    void anUploadToAMissingCampaignStoresNothingAndNamesTheCampaign() {
        CampaignId missing = new CampaignId(UUID.randomUUID());

        assertThatThrownBy(() -> storage().recipients().addAll(missing, upload(row -> NewRecipient.of(
                Fixtures.randomAddress()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");

        assertThat(rowsOf(missing)).isZero();
    }

    @Test
    void aValueTheDatabaseRefusesAtTheEndStoresNoneOfTheTenThousand() {
        // Stands in for anything PostgreSQL refuses in the final INSERT (a constraint, a full disk, a cancel): the row that
        // trips it comes last, after 9,999 good ones have streamed through COPY.
        schema.sql("ALTER TABLE recipients ADD CONSTRAINT test_refuses_fid_424242 CHECK (fid IS DISTINCT FROM 424242)");
        try {
            Campaign campaign = Fixtures.newCampaign(storage());

            assertThatThrownBy(() -> storage().recipients().addAll(campaign.id(), upload(row -> new NewRecipient(
                    Fixtures.randomAddress(), Optional.of(new Fid(424242))))))
                    .hasMessageContaining("test_refuses_fid_424242");

            assertThat(rowsOf(campaign.id())).isZero();
            // The pooled connection is clean again: its temporary table went with the rollback.
            assertThat(storage().recipients().addAll(campaign.id(), List.of(NewRecipient.of(Fixtures.randomAddress()))
                    .iterator()).added()).isEqualTo(1);
        } finally {
            schema.sql("ALTER TABLE recipients DROP CONSTRAINT test_refuses_fid_424242");
        }
    }

    @Test
    void planningForAMissingCampaignNamesIt() {
        CampaignId missing = new CampaignId(UUID.randomUUID());
        Batch batch = Batch.planned(new BatchId(UUID.randomUUID()), missing, 0, List.of(Fixtures.randomAddress()),
                Fixtures.T0);

        assertThatThrownBy(() -> storage().batches().savePlanned(List.of(batch)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
        assertThat(storage().batches().find(batch.id())).isEmpty();
    }

    @Test
    void aSignedTransactionWhoseHashIsStoredAlreadyIsRefusedAndUsesNoNonce() {
        List<Batch> batches = Fixtures.plannedBatches(storage(), 2);
        Address wallet = Fixtures.randomAddress();
        Claim first = new Claim(batches.get(0).id(), "w", Fixtures.T0, Fixtures.T0.plus(Duration.ofMinutes(1)));
        Claim second = new Claim(batches.get(1).id(), "w", Fixtures.T0, Fixtures.T0.plus(Duration.ofMinutes(1)));
        storage().batches().claim(first);
        storage().batches().claim(second);
        SignedTransaction stored = storage().transactionLedger().writeAhead(first, wallet,
                n -> Fixtures.signedTx(wallet, n)).transaction();

        assertThatThrownBy(() -> storage().transactionLedger().writeAhead(second, wallet, n -> new SignedTransaction(
                stored.hash(), stored.raw(), wallet, n, stored.gasLimit(), stored.fees())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(stored.hash().value())
                .hasMessageContaining("already stored");

        assertThat(storage().transactionLedger().nextNonce(wallet)).isEqualTo(1);
        assertThat(storage().transactionLedger().forBatch(batches.get(1).id())).isEmpty();
    }

    @Test
    void aBlankOrOverlongFailureReasonIsRefusedByName() {
        Batch batch = Fixtures.plannedBatches(storage(), 1).getFirst();
        Claim claim = new Claim(batch.id(), "w", Fixtures.T0, Fixtures.T0.plus(Duration.ofMinutes(1)));
        storage().batches().claim(claim);

        assertThatThrownBy(() -> storage().batches().fail(claim, "  ")).hasMessageContaining("error");
        assertThatThrownBy(() -> storage().batches().fail(claim, "x".repeat(10_001)))
                .hasMessageContaining("error").hasMessageContaining("10000");
        assertThat(storage().batches().find(batch.id()).orElseThrow().error()).isEmpty();
    }

    @Test
    void anOverlongIdempotencyKeyIsRefusedByName() {
        IdempotencyRecords.Record record = new IdempotencyRecords.Record("sha256:x", 201, "{}", Fixtures.T0);

        assertThatThrownBy(() -> storage().idempotencyRecords().putIfAbsent(new Fid(1), "k".repeat(256), record))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key").hasMessageContaining("255");
        assertThatThrownBy(() -> storage().idempotencyRecords().find(new Fid(1), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> storage().recipients().addAll(null, List.<NewRecipient>of().iterator()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("campaign");
        assertThatThrownBy(() -> storage().campaigns().listByOwner(new Fid(1), Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> storage().transactionLedger().resyncNonce(Fixtures.randomAddress(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chainPendingNonce");
    }
}
