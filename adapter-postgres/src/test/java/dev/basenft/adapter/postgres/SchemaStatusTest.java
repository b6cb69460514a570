package dev.basenft.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** {@link PostgresStorage#schemaStatus()} tells an old schema from a current one and changes neither. */
class SchemaStatusTest {

    @Test
    void namesTheMigrationsStillToApplyWithoutApplyingThem() throws Exception {
        String schema = "t_status_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        DatabaseUrl url = TestDatabase.server();
        Flyway.configure().dataSource(url.jdbcUrl(), url.user().orElse(null), url.password().orElse(null))
                .locations(PostgresStorage.MIGRATIONS).schemas(schema).defaultSchema(schema).createSchemas(true)
                .target("5").load().migrate();
        try (PostgresStorage storage = PostgresStorage.builder().url(TestDatabase.url()).schema(schema)
                .migrateOnStart(false).build()) {
            PostgresStorage.SchemaStatus old = storage.schemaStatus();

            assertThat(old.currentVersion()).contains("5");
            assertThat(old.pending()).isNotEmpty().first().asString().startsWith("V6 ");
            assertThat(storage.schemaStatus()).as("reading applied nothing").isEqualTo(old);

            storage.migrate();
            PostgresStorage.SchemaStatus current = storage.schemaStatus();

            assertThat(current.pending()).isEmpty();
            assertThat(Integer.parseInt(current.currentVersion().orElseThrow())).isGreaterThan(5);
        } finally {
            try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
