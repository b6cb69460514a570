package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database migrated before a migration's comments were reworded still starts; one whose stored checksum is anything
 * else still fails Flyway's validation, as an edited migration should.
 */
class RewordedMigrationsTest {

    private String schema;

    @BeforeEach
    void name() {
        schema = "t_reworded_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
    }

    @AfterEach
    void drop() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void theRecordedChecksumsAreThoseOfTheMigrationFilesNow() {
        DatabaseUrl url = TestDatabase.server();
        MigrationInfo[] all = Flyway.configure().dataSource(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                .locations(PostgresStorage.MIGRATIONS).schemas(schema).defaultSchema(schema).load().info().all();
        for (RewordedMigrations.Reworded reworded : RewordedMigrations.ALL) {
            MigrationInfo file = Arrays.stream(all).filter(m -> m.getVersion().getVersion().equals(reworded.version()))
                    .findFirst().orElseThrow();
            assertThat(file.getChecksum()).as("V%s's checksum", reworded.version()).isEqualTo(reworded.after());
        }
    }

    @Test
    void aDatabaseMigratedBeforeTheRewordingStartsAndIsUpdated() throws Exception {
        open().close();
        sql("UPDATE " + schema + ".flyway_schema_history SET checksum = -1842152675 WHERE version = '1'");

        open().close();

        assertThat(checksumOfV1()).isEqualTo(1568290541);
    }

    @Test
    void anyOtherChecksumMismatchIsStillRefused() throws Exception {
        open().close();
        sql("UPDATE " + schema + ".flyway_schema_history SET checksum = 42 WHERE version = '1'");

        assertThatThrownBy(this::open).hasStackTraceContaining("checksum mismatch");
        assertThat(checksumOfV1()).isEqualTo(42);
    }

    private PostgresStorage open() {
        return PostgresStorage.builder().url(TestDatabase.url()).schema(schema).maximumPoolSize(2).build();
    }

    private int checksumOfV1() throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT checksum FROM " + schema + ".flyway_schema_history WHERE version = '1'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
