package dev.basenft.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.IdempotencyRecords;
import dev.basenft.core.port.out.Recipients;
import dev.basenft.core.port.out.TransactionLedger;
import dev.basenft.core.port.out.Webhooks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * base-nft's storage on PostgreSQL: the six storage ports of core ({@link Campaigns}, {@link Recipients},
 * {@link Batches}, {@link TransactionLedger}, {@link IdempotencyRecords}, {@link Webhooks}) over one connection pool, with the schema kept by
 * versioned Flyway migrations.
 *
 * <pre>{@code
 * try (PostgresStorage storage = PostgresStorage.open(System.getenv("DATABASE_URL"))) {
 *     Campaigns campaigns = storage.campaigns();
 *     ...
 * }
 * }</pre>
 *
 * <p>Built from a database URL ({@code postgres://}, {@code postgresql://} or {@code jdbc:postgresql://}), it owns a HikariCP
 * pool and closes it in {@link #close()}; built from a {@link DataSource}, the caller keeps ownership of it. Unless told
 * otherwise it applies pending migrations when built; {@link #migrate()} does so on demand (the application's
 * {@code migrate} command). Several processes may start at once: Flyway serialises them with an advisory lock.
 *
 * <p>Thread-safe: the ports may be shared by any number of threads and processes. No method accepts or returns null.
 */
public final class PostgresStorage implements AutoCloseable {

    /** Where the migrations live on the classpath: a base-nft specific folder, so no other library's scripts are picked up. */
    public static final String MIGRATIONS = "classpath:dev/basenft/adapter/postgres/db/migration";

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final Optional<DatabaseUrl> url;
    private final Optional<HikariDataSource> ownedPool;
    /** The write-aheads' own connections when this storage owns its pool: see {@link Builder#build()}. */
    private final Optional<HikariDataSource> writeAheadPool;
    private final Optional<String> schema;
    private final PgCampaigns campaigns;
    private final PgRecipients recipients;
    private final PgBatches batches;
    private final PgTransactionLedger ledger;
    private final PgIdempotencyRecords idempotency;
    private final PgWebhooks webhooks;
    private final Jdbi jdbi;

    private PostgresStorage(DataSource dataSource, Optional<DatabaseUrl> url, Optional<HikariDataSource> ownedPool,
            Optional<HikariDataSource> writeAheadPool, Optional<String> schema, InstantSource time) {
        this.dataSource = dataSource;
        this.url = url;
        this.ownedPool = ownedPool;
        this.writeAheadPool = writeAheadPool;
        this.schema = schema;
        Jdbi jdbi = jdbi(dataSource, ownedPool.isPresent(), schema);
        this.jdbi = jdbi;
        this.campaigns = new PgCampaigns(jdbi, time);
        this.recipients = new PgRecipients(jdbi);
        this.batches = new PgBatches(jdbi, time);
        this.ledger = new PgTransactionLedger(jdbi,
                writeAheadPool.map(pool -> jdbi(pool, true, schema)).orElse(jdbi));
        this.idempotency = new PgIdempotencyRecords(jdbi);
        this.webhooks = new PgWebhooks(jdbi);
    }

    private static Jdbi jdbi(DataSource source, boolean ownPool, Optional<String> schema) {
        Jdbi jdbi = ownPool || schema.isEmpty()
                ? Jdbi.create(source)
                // A caller's DataSource knows nothing of our schema: point each borrowed connection at it.
                : Jdbi.create(() -> {
                    Connection connection = source.getConnection();
                    connection.setSchema(schema.get());
                    return connection;
                });
        // Our SQL is plain SQL with :named parameters and never a <template> attribute. The default engine looks every
        // statement up in its parse cache (hashing and comparing the whole SQL text, often a freshly built string) and
        // renders it again on each execution, for nothing; NOP hands the text over as it is.
        jdbi.setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }

    /**
     * Connects to {@code databaseUrl} with a pool of its own and applies pending migrations.
     *
     * @param databaseUrl {@code postgres://user:password@host:port/db}, {@code postgresql://…} or
     *     {@code jdbc:postgresql://…}; not null
     * @throws IllegalArgumentException when the URL is malformed (the message masks its password)
     */
    public static PostgresStorage open(String databaseUrl) {
        return builder().url(databaseUrl).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies the migrations the database has not had yet; a no-op when it is up to date.
     *
     * @return how many migrations this call applied
     */
    public int migrate() {
        var config = flywayConfiguration();
        try (Connection connection = url.isPresent()
                ? DriverManager.getConnection(url.get().jdbcUrl(), url.get().user().orElse(null),
                        url.get().password().orElse(null))
                : dataSource.getConnection()) {
            RewordedMigrations.acceptRewordings(connection, schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the migration history before migrating: " + e.getMessage(), e);
        }
        return config.load().migrate().migrationsExecuted;
    }

    /**
     * Where the schema is, read without changing anything (for {@code doctor}): the version applied last, and the
     * migrations this build has that the database has not had yet.
     *
     * @return never null
     */
    public SchemaStatus schemaStatus() {
        MigrationInfoService info = flywayConfiguration().load().info();
        Optional<String> current = Optional.ofNullable(info.current()).map(m -> m.getVersion().getVersion());
        List<String> pending = Arrays.stream(info.pending())
                .map(m -> "V" + m.getVersion().getVersion() + " " + m.getDescription()).toList();
        return new SchemaStatus(current, pending);
    }

    /**
     * @param currentVersion the version applied last; empty on an empty database
     * @param pending the migrations still to apply, oldest first, as {@code "V7 nonce fillers"}; empty when up to date
     */
    public record SchemaStatus(Optional<String> currentVersion, List<String> pending) {
        public SchemaStatus {
            Require.notNull("currentVersion", currentVersion);
            pending = List.copyOf(Require.notNull("pending", pending));
        }
    }

    private FluentConfiguration flywayConfiguration() {
        FluentConfiguration config = Flyway.configure();
        if (url.isPresent()) {
            // Connections of its own, outside our pool: Flyway holds two at once on PostgreSQL (one for its lock), which
            // would wait forever on a pool of one.
            config.dataSource(url.get().jdbcUrl(), url.get().user().orElse(null), url.get().password().orElse(null));
        } else {
            config.dataSource(dataSource);
        }
        config.locations(MIGRATIONS)
                .failOnMissingLocations(true);
        schema.ifPresent(s -> config.schemas(s).defaultSchema(s).createSchemas(true));
        return config;
    }

    /** Campaigns, one conditional UPDATE per state change. */
    public Campaigns campaigns() {
        return campaigns;
    }

    /** Recipients, ingested with COPY in one transaction. */
    public Recipients recipients() {
        return recipients;
    }

    /** Batches and their leases. */
    public Batches batches() {
        return batches;
    }

    /** The write-ahead ledger of signed transactions and the minter's nonce counter. */
    public TransactionLedger transactionLedger() {
        return ledger;
    }

    /** The stored responses of idempotent POSTs. */
    /** Webhooks, their outbox of events and their deliveries. */
    public Webhooks webhooks() {
        return webhooks;
    }

    public IdempotencyRecords idempotencyRecords() {
        return idempotency;
    }

    /** The pool (or the caller's DataSource) the ports use, for readiness checks. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * How many batches are in each status, over every campaign: the operators' view of the whole distribution (a metric).
     * Every status is in the map, with 0 when no batch has it.
     *
     * @return never null; iteration in {@link BatchStatus} order
     */
    public java.util.Map<BatchStatus, Long> batchCountsByStatus() {
        java.util.Map<BatchStatus, Long> counts = new java.util.EnumMap<>(BatchStatus.class);
        for (BatchStatus status : BatchStatus.values()) {
            counts.put(status, 0L);
        }
        jdbi.useHandle(h -> h.createQuery("SELECT status, count(*) AS n FROM batches GROUP BY status")
                .map((rs, ctx) -> java.util.Map.entry(BatchStatus.valueOf(rs.getString("status")), rs.getLong("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    /** Closes the pools when this storage built them; a caller's DataSource is left open. Idempotent. */
    @Override
    public void close() {
        writeAheadPool.ifPresent(HikariDataSource::close);
        ownedPool.ifPresent(HikariDataSource::close);
    }

    /** Configures a {@link PostgresStorage}. Not thread-safe; build once. */
    public static final class Builder {

        /** The write-aheads' own pool: one wallet's turn per process at a time, so one connection, and one to spare. */
        static final int WRITE_AHEAD_CONNECTIONS = 2;

        private String url;
        private DataSource dataSource;
        private String schema;
        private int maximumPoolSize = 10;
        private InstantSource time = Clock.systemUTC();
        private boolean migrateOnStart = true;

        private Builder() {
        }

        /** Connect to this URL with a pool of our own. Exactly one of {@code url} and {@link #dataSource} is needed. */
        public Builder url(String databaseUrl) {
            this.url = Objects.requireNonNull(databaseUrl, "databaseUrl");
            return this;
        }

        /**
         * Use the caller's DataSource (its pool, its lifecycle). Migrations borrow two connections from it at once, so a
         * pool must allow at least two. The write-aheads then share it too (see {@link #build()}).
         */
        public Builder dataSource(DataSource source) {
            this.dataSource = Objects.requireNonNull(source, "dataSource");
            return this;
        }

        /**
         * Keep the tables in this schema instead of the connection's default ({@code public}); created by the migrations
         * when missing. Lower-case letters, digits and underscores, up to 63 characters.
         */
        public Builder schema(String name) {
            Objects.requireNonNull(name, "schema");
            if (!SCHEMA_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("schema must be 1-63 lower-case letters, digits or underscores, not "
                        + "starting with a digit; got '" + name + "'");
            }
            this.schema = name;
            return this;
        }

        /** The pool's size when built from a URL; 10 by default (the write-aheads' two connections come on top). */
        public Builder maximumPoolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be at least 1, got " + size);
            }
            this.maximumPoolSize = size;
            return this;
        }

        /**
         * The clock for the few writes whose port call carries no time ({@code Batches.complete}'s and
         * {@code requeue}'s {@code updatedAt}); every other time comes from the caller. System UTC by default.
         */
        public Builder clock(InstantSource source) {
            this.time = Objects.requireNonNull(source, "clock");
            return this;
        }

        /** Whether {@link #build()} applies pending migrations; true by default. */
        public Builder migrateOnStart(boolean migrate) {
            this.migrateOnStart = migrate;
            return this;
        }

        /**
         * Builds the storage, migrating first unless told not to.
         *
         * <p>Built from a URL, it opens a second pool of at most {@value #WRITE_AHEAD_CONNECTIONS} connections (one kept
         * open) for the write-aheads alone ({@code TransactionLedger.writeAheadWithin}). The thread writing
         * ahead holds the wallet's turn, which every batch about to be signed waits for; from the shared pool it queued
         * for a connection behind the reads and claims of those very batches (0.25 to 0.66 s in the first seconds of a
         * drop with two workers: docs/benchmarks.md, Stop 29).
         *
         * @throws IllegalArgumentException when neither or both of a URL and a DataSource were given, or the URL is bad
         */
        public PostgresStorage build() {
            if ((url == null) == (dataSource == null)) {
                throw new IllegalArgumentException("give exactly one of url(...) and dataSource(...)");
            }
            PostgresStorage storage;
            if (url != null) {
                DatabaseUrl parsed = DatabaseUrl.parse(url);
                HikariConfig config = new HikariConfig();
                config.setPoolName("base-nft-postgres");
                config.setJdbcUrl(parsed.jdbcUrl());
                parsed.user().ifPresent(config::setUsername);
                parsed.password().ifPresent(config::setPassword);
                config.setMaximumPoolSize(maximumPoolSize);
                if (schema != null) {
                    config.setSchema(schema);
                }
                HikariConfig writeAheads = new HikariConfig();
                config.copyStateTo(writeAheads);
                writeAheads.setPoolName("base-nft-postgres-write-ahead");
                writeAheads.setMaximumPoolSize(WRITE_AHEAD_CONNECTIONS);
                // One kept open, so a drop's first write-ahead does not wait for a new connection (the server, which
                // never writes ahead, holds one idle connection for it).
                writeAheads.setMinimumIdle(1);
                HikariDataSource pool = new HikariDataSource(config);
                HikariDataSource writeAheadPool;
                try {
                    writeAheadPool = new HikariDataSource(writeAheads);
                } catch (RuntimeException e) {
                    pool.close();
                    throw e;
                }
                storage = new PostgresStorage(pool, Optional.of(parsed), Optional.of(pool), Optional.of(writeAheadPool),
                        Optional.ofNullable(schema), time);
            } else {
                storage = new PostgresStorage(dataSource, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.ofNullable(schema), time);
            }
            if (migrateOnStart) {
                try {
                    storage.migrate();
                } catch (RuntimeException e) {
                    storage.close();
                    throw e;
                }
            }
            return storage;
        }
    }
}
