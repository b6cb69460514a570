package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V6 on a database that already holds a collection attached to two campaigns (what the takeover left behind): the migration
 * must stop, name every duplicate, and change nothing, rather than pick a campaign to keep it. Once the operator detached
 * the extra campaigns, it applies, and from then on the index refuses a new duplicate.
 */
class CollectionBindingMigrationTest {

    private static final String A = "'00000000-0000-0000-0000-00000000000a'";
    private static final String B = "'00000000-0000-0000-0000-00000000000b'";
    private static final String C = "'00000000-0000-0000-0000-00000000000c'";
    private static final String D = "'00000000-0000-0000-0000-00000000000d'";
    private static final String E = "'00000000-0000-0000-0000-00000000000e'";
    private static final String SHARED = "'\\x7777777777777777777777777777777777777777'";
    private static final String ALSO_SHARED = "'\\x8888888888888888888888888888888888888888'";

    private String schema;

    @BeforeEach
    void migrateToV5() {
        schema = "t_binding_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        flyway().target("5").load().migrate();
    }

    @AfterEach
    void drop() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void stopsAndListsEveryDuplicateThenAppliesOnceTheyAreResolved() throws Exception {
        insert(A, 8453, SHARED);
        insert(B, 8453, SHARED);
        insert(C, 8453, ALSO_SHARED);
        insert(D, 8453, ALSO_SHARED);
        insert(E, 84532, SHARED); // another chain: not a duplicate

        assertThatThrownBy(() -> flyway().load().migrate())
                .hasStackTraceContaining("V6 collection binding: a collection is attached to more than one campaign")
                .hasStackTraceContaining("chain 8453 collection 0x7777777777777777777777777777777777777777 attached to"
                        + " campaigns 00000000-0000-0000-0000-00000000000a, 00000000-0000-0000-0000-00000000000b")
                .hasStackTraceContaining("chain 8453 collection 0x8888888888888888888888888888888888888888 attached to"
                        + " campaigns 00000000-0000-0000-0000-00000000000c, 00000000-0000-0000-0000-00000000000d")
                .satisfies(e -> assertThat(e.toString() + stackTraceOf(e)).doesNotContain("84532"));
        assertThat(appliedVersion()).as("nothing of V6 applied").isEqualTo("5");
        assertThat(count("SELECT count(*) FROM " + schema + ".campaigns WHERE contract IS NOT NULL")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + schema
                + "' AND column_name = 'creator_wallet'")).isZero();

        sql("UPDATE " + schema + ".campaigns SET contract = NULL WHERE id IN (" + B + ", " + D + ")");
        // Up to V6 only: later migrations are not this test's subject.
        flyway().target("6").load().migrate();

        assertThat(appliedVersion()).isEqualTo("6");
        assertThatThrownBy(() -> sql("UPDATE " + schema + ".campaigns SET contract = " + SHARED + " WHERE id = " + B))
                .hasMessageContaining("campaigns_collection_unique");
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        DatabaseUrl url = TestDatabase.server();
        return Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                .locations(PostgresStorage.MIGRATIONS)
                .schemas(schema).defaultSchema(schema).createSchemas(true);
    }

    private void insert(String id, long chainId, String contract) throws SQLException {
        sql("INSERT INTO " + schema + ".campaigns (id, owner_fid, name, symbol, description, base_uri, chain_id, contract,"
                + " status, created_at) VALUES (" + id + ", 7, 'n', 's', '', '', " + chainId + ", " + contract
                + ", 'DRAFT', now())");
    }

    private String appliedVersion() throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT max(version::int)::text FROM " + schema
                        + ".flyway_schema_history WHERE success")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long count(String query) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String stackTraceOf(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
