package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.ExportedRecipient;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.NewRecipient;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.Recipient;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.planning.BatchPlanner;
import dev.basenft.core.port.out.Recipients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The entry point and what only a database adds: byte-exact addresses, streaming in upload order, migrations. */
class PostgresStorageTest {

    private static TestDatabase.Schema schema;

    @BeforeAll
    static void migrate() {
        schema = TestDatabase.newSchema("storage", 2);
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void storesAddressesAsTwentyBytesAndReturnsThemInEip55Form() throws Exception {
        PostgresStorage storage = schema.storage();
        Campaign campaign = Fixtures.newCampaign(storage);
        Address lower = Address.parse("0x52908400098527886e0f7030069857d2e4169ee7");
        Address contract = Address.parse("0xde709f2102306220921060314715629080e2fb77");
        storage.recipients().addAll(campaign.id(), List.of(NewRecipient.of(lower)).iterator());
        storage.campaigns().attachCollection(campaign.id(), CollectionDeployment.of(contract, lower, 1));

        assertThat(storage.recipients().find(campaign.id(), lower).orElseThrow().address().value())
                .isEqualTo("0x52908400098527886E0F7030069857D2E4169EE7");
        assertThat(storage.campaigns().find(campaign.id()).orElseThrow().contract().orElseThrow().value())
                .isEqualTo("0xde709f2102306220921060314715629080e2fb77");
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT octet_length(address), encode(address, 'hex') FROM "
                        + schema.name() + ".recipients WHERE campaign_id = '" + campaign.id() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(20);
            assertThat(rs.getString(2)).isEqualTo(lower.lowerCase().substring(2));
        }
    }

    @Test
    void streamsAnUploadLargerThanOneCopyBufferInOrderWithFidsAndFirstOfRepeatsKept() {
        PostgresStorage storage = schema.storage();
        Campaign campaign = Fixtures.newCampaign(storage);
        List<NewRecipient> upload = new ArrayList<>();
        // ~5,000 rows of up to 50 bytes in binary COPY: several 64 KiB COPY buffers.
        IntStream.range(0, 5_000).forEach(i -> upload.add(new NewRecipient(Fixtures.randomAddress(),
                i % 3 == 0 ? Optional.of(new Fid(Long.MAX_VALUE - i)) : Optional.empty())));
        NewRecipient repeatedWithOtherFid = new NewRecipient(upload.get(17).address(), Optional.of(new Fid(5)));
        upload.add(repeatedWithOtherFid);

        var result = storage.recipients().addAll(campaign.id(), upload.iterator());

        assertThat(result.added()).isEqualTo(5_000);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(storage.recipients().pending(campaign.id(), 10_000))
                .containsExactlyElementsOf(upload.subList(0, 5_000).stream().map(NewRecipient::address).toList());
        Recipient kept = storage.recipients().find(campaign.id(), upload.get(17).address()).orElseThrow();
        assertThat(kept.fid()).isEqualTo(upload.get(17).fid());
        assertThat(storage.recipients().find(campaign.id(), upload.get(3).address()).orElseThrow().fid())
                .contains(new Fid(Long.MAX_VALUE - 3));
    }

    @Test
    void refreshesTheRecipientStatisticsAfterALargeUploadSoPlanningUsesThePrimaryKey() {
        PostgresStorage storage = schema.storage();
        Campaign campaign = Fixtures.newCampaign(storage);
        List<NewRecipient> upload = new ArrayList<>();
        IntStream.range(0, (int) PgRecipients.ANALYZE_AFTER).forEach(i -> upload.add(NewRecipient.of(Fixtures.randomAddress())));

        storage.recipients().addAll(campaign.id(), upload.iterator());

        // reltuples is what the planner believes; never analysed it reads -1 (PostgreSQL 14 on) and planning's UPDATE
        // then scans every PENDING row of the campaign for each batch.
        assertThat(schema.count("pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                + schema.name() + "' AND c.relname = 'recipients' AND c.reltuples >= " + PgRecipients.ANALYZE_AFTER))
                .isOne();
    }

    /** Batch ids unique across the tests sharing this schema. */
    private static List<BatchId> newIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> new BatchId(UUID.randomUUID())).toList();
    }

    @Test
    void aDistributionsPlanWritesNoRecipientRowYetEveryReadSeesThemPlanned() {
        PostgresStorage storage = schema.storage();
        Campaign campaign = Fixtures.newCampaign(storage);
        List<NewRecipient> upload = new ArrayList<>();
        IntStream.range(0, 1_000).forEach(i -> upload.add(NewRecipient.of(Fixtures.randomAddress())));
        storage.recipients().addAll(campaign.id(), upload.iterator());
        int index = 0;
        List<PlannedBatch> planned;
        while (!(planned = storage.batches().planNext(campaign.id(), index, newIds(2), BatchPlanner.MAX_BATCH_SIZE,
                Instant.now())).isEmpty()) {
            index += planned.size();
        }
        String rowsOfCampaign = "recipients WHERE campaign_id = '" + campaign.id() + "'";

        assertThat(schema.count(rowsOfCampaign + " AND status = 'PENDING'")).as("rows written by planning").isEqualTo(1_000);
        assertThat(storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 0L)
                .containsEntry(RecipientStatus.PROCESSING, 1_000L);
        assertThat(storage.campaigns().findWithSummary(campaign.id()).orElseThrow().summary().recipients())
                .containsEntry(RecipientStatus.PENDING, 0L).containsEntry(RecipientStatus.PROCESSING, 1_000L);
        Address first = upload.getFirst().address();
        assertThat(storage.recipients().find(campaign.id(), first)).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(RecipientStatus.PROCESSING));
        assertThat(storage.recipients().list(campaign.id(), Optional.of(RecipientStatus.PROCESSING), Optional.empty(),
                2_000)).hasSize(1_000);
        assertThat(storage.recipients().list(campaign.id(), Optional.of(RecipientStatus.PENDING), Optional.empty(),
                2_000)).isEmpty();
        assertThat(storage.recipients().remove(campaign.id(), List.of(first)))
                .isInstanceOf(Recipients.Removal.Refused.class);

        // Added after the plan: unplanned, and the next plan takes exactly them.
        List<NewRecipient> later = List.of(NewRecipient.of(Fixtures.randomAddress()), NewRecipient.of(Fixtures.randomAddress()));
        storage.recipients().addAll(campaign.id(), later.iterator());
        assertThat(storage.recipients().pending(campaign.id(), 10)).containsExactlyElementsOf(
                later.stream().map(NewRecipient::address).toList());
        assertThat(storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 2L);
    }

    @Test
    void recipientsOfCancelledBatchesArePendingAgainInUploadOrderAndPlannedOnceMore() {
        PostgresStorage storage = schema.storage();
        Campaign campaign = Fixtures.newCampaign(storage);
        List<Address> addresses = IntStream.range(0, 6).mapToObj(i -> Fixtures.randomAddress()).toList();
        storage.recipients().addAll(campaign.id(), addresses.stream().map(NewRecipient::of).iterator());
        storage.batches().planNext(campaign.id(), 0, newIds(3), 2, Instant.now());
        assertThat(schema.count("recipients WHERE campaign_id = '" + campaign.id() + "' AND status = 'PENDING'"))
                .as("planned without writing the rows").isEqualTo(6);

        assertThat(storage.batches().cancelPending(campaign.id())).isEqualTo(3);

        assertThat(storage.recipients().pending(campaign.id(), 10)).as("in upload order").containsExactlyElementsOf(addresses);
        assertThat(storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 6L)
                .containsEntry(RecipientStatus.PROCESSING, 0L);
        assertThat(storage.campaigns().findWithSummary(campaign.id()).orElseThrow().summary().recipients())
                .containsEntry(RecipientStatus.PENDING, 6L);
        List<ExportedRecipient> exported = new ArrayList<>();
        storage.recipients().export(campaign.id(), exported::add);
        assertThat(exported).extracting(e -> e.recipient().address()).containsExactlyElementsOf(addresses);
        assertThat(exported).allSatisfy(e -> {
            assertThat(e.recipient().status()).isEqualTo(RecipientStatus.PENDING);
            assertThat(e.batchIndex()).isEmpty();
        });
        // One more recipient, then everything planned again: each recipient in exactly one batch that is not cancelled.
        Address added = Fixtures.randomAddress();
        storage.recipients().addAll(campaign.id(), List.of(NewRecipient.of(added)).iterator());
        storage.batches().planNext(campaign.id(), 3, newIds(5), 2, Instant.now());

        assertThat(storage.recipients().pending(campaign.id(), 10)).isEmpty();
        assertThat(storage.recipients().countByStatus(campaign.id())).containsEntry(RecipientStatus.PENDING, 0L)
                .containsEntry(RecipientStatus.PROCESSING, 7L);
        exported.clear();
        storage.recipients().export(campaign.id(), exported::add);
        assertThat(exported).extracting(e -> e.batchIndex().orElseThrow()).containsExactly(3, 3, 4, 4, 5, 5, 6);
    }

    @Test
    void worksOnACallersDataSourceInItsOwnSchemaAndLeavesTheDataSourceOpen() throws Exception {
        DatabaseUrl server = TestDatabase.server();
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(server.jdbcUrl());
        server.user().ifPresent(source::setUser);
        server.password().ifPresent(source::setPassword);
        String name = "t_callers_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        try (PostgresStorage storage = PostgresStorage.builder().dataSource(source).schema(name).build()) {
            Campaign campaign = Fixtures.newCampaign(storage);

            assertThat(storage.campaigns().find(campaign.id())).contains(campaign);
            assertThat(storage.dataSource()).isSameAs((DataSource) source);
        } finally {
            try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
                assertThat(s.executeQuery("SELECT count(*) FROM " + name + ".campaigns")).satisfies(rs -> {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                });
                s.execute("DROP SCHEMA " + name + " CASCADE");
            }
        }
    }

    @Test
    void migrateOnStartCanBeLeftToTheMigrateCommand() throws Exception {
        String name = "t_later_" + Long.toHexString(System.nanoTime());
        try (PostgresStorage storage = PostgresStorage.builder().url(TestDatabase.url()).schema(name)
                .migrateOnStart(false).maximumPoolSize(1).build()) {
            assertThatThrownBy(() -> storage.campaigns().find(Fixtures.newCampaignId()))
                    .hasMessageContaining("campaigns");

            assertThat(storage.migrate()).as("every migration shipped").isEqualTo(shippedMigrations());
            assertThat(storage.migrate()).isZero();
            assertThat(storage.campaigns().find(Fixtures.newCampaignId())).isEmpty();
        } finally {
            try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }

    @Test
    void refusesABadConfigurationWithAClearMessage() {
        assertThatThrownBy(() -> PostgresStorage.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url(...)");
        assertThatThrownBy(() -> PostgresStorage.builder().schema("Robert'); DROP TABLE x;--"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> PostgresStorage.open("redis://localhost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres://");
        assertThatThrownBy(() -> PostgresStorage.builder().maximumPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumPoolSize");
    }

    /**
     * The versioned migrations in the resources, counted from the files themselves so a new migration needs no edit here;
     * the test classpath holds them as a directory (the module's own target/classes).
     */
    private static long shippedMigrations() throws Exception {
        String folder = "/" + PostgresStorage.MIGRATIONS.substring("classpath:".length());
        Path directory = Path.of(PostgresStorage.class.getResource(folder).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            long count = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql")).count();
            assertThat(count).as("migrations found in " + directory).isPositive();
            return count;
        }
    }

    @Test
    void countsBatchesByStatusWithZeroForTheStatusesNoBatchHas() {
        try (TestDatabase.Schema own = TestDatabase.newSchema("counts", 2)) {
            PostgresStorage storage = own.storage();
            assertThat(storage.batchCountsByStatus()).hasSize(dev.basenft.core.model.BatchStatus.values().length)
                    .allSatisfy((status, count) -> assertThat(count).isZero());
            Fixtures.plannedBatches(storage, 3);

            assertThat(storage.batchCountsByStatus()).containsEntry(dev.basenft.core.model.BatchStatus.PENDING, 3L)
                    .containsEntry(dev.basenft.core.model.BatchStatus.COMPLETED, 0L);
        }
    }
}
