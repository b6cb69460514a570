package dev.basenft.app;

import dev.basenft.adapter.http.javalin.HttpApi;
import dev.basenft.adapter.http.javalin.ManagementServer;
import dev.basenft.adapter.postgres.PostgresStorage;
import dev.basenft.app.config.Settings;
import dev.basenft.app.wiring.Components;
import dev.basenft.app.wiring.StartupException;
import dev.basenft.core.service.DistributionWorker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * A running server, worker or both, over one set of {@link Components}. {@link #stop} is the graceful shutdown of
 * docs/architecture.md#the-worker: the worker stops taking jobs and finishes or parks its batches, then the HTTP server
 * finishes its requests, then the connections close. Thread-safe; {@code stop} acts once.
 */
public final class Service {

    private static final System.Logger LOG = System.getLogger("dev.basenft.app");

    private final Components components;
    private final HttpApi http;
    private final DistributionWorker worker;
    private final ManagementServer management;
    private boolean stopped;

    private Service(Components components, HttpApi http, DistributionWorker worker, ManagementServer management) {
        this.components = components;
        this.http = http;
        this.worker = worker;
        this.management = management;
    }

    /**
     * Opens the components and starts what {@code command} runs.
     *
     * @throws dev.basenft.app.config.ConfigurationException or {@link StartupException} naming what is wrong
     */
    static Service start(Command command, Settings settings, InstantSource clock) {
        Objects.requireNonNull(command, "command");
        Components components = Components.open(settings, clock);
        HttpApi http = null;
        DistributionWorker worker = null;
        ManagementServer management = null;
        try {
            if (command.worker) {
                worker = components.worker();
                worker.start();
                if (settings.webhookDelivery()) {
                    // Closed with the components (after the worker stops), so a delivery in flight may finish.
                    components.startWebhookDelivery();
                }
            }
            if (command.http) {
                // dev runs the worker too and has one port: its readiness and metrics are the worker's as well.
                http = components.httpApi(command.worker).start();
            } else {
                // The worker serves no API; operators watch it on its management port.
                management = startManagement(components);
            }
            return new Service(components, http, worker, management);
        } catch (RuntimeException e) {
            stopQuietly(worker);
            if (management != null) {
                management.stop();
            }
            if (http != null) {
                http.stop();
            }
            components.close();
            if (e instanceof StartupException || e instanceof dev.basenft.app.config.ConfigurationException) {
                throw e;
            }
            throw new StartupException(e.getMessage(), e);
        }
    }

    private static ManagementServer startManagement(Components components) {
        try {
            return components.managementServer().start();
        } catch (RuntimeException e) {
            throw new StartupException("cannot serve /health and /metrics on HOST:MANAGEMENT_PORT ("
                    + components.settings().host() + ":" + components.settings().managementPort()
                    + "; another process may use it, set MANAGEMENT_PORT to a free port): " + e.getMessage(), e);
        }
    }

    /** Starts the server, the worker or both for a JVM that embeds the application (tests, a supervisor). */
    public static Service start(String command, Settings settings, InstantSource clock) {
        return start(Command.valueOf(command.toUpperCase(java.util.Locale.ROOT)), settings, clock);
    }

    /** Applies the migrations to {@code databaseUrl}; returns how many were applied. */
    static int migrate(String databaseUrl) {
        try (PostgresStorage storage = PostgresStorage.builder().url(databaseUrl).migrateOnStart(false).maximumPoolSize(1)
                .build()) {
            return storage.migrate();
        } catch (IllegalArgumentException e) {
            throw new dev.basenft.app.config.ConfigurationException(java.util.List.of("DATABASE_URL: " + e.getMessage()));
        } catch (RuntimeException e) {
            throw new StartupException("cannot migrate the database at DATABASE_URL: " + e.getMessage(), e);
        }
    }

    /** The HTTP port listened on, when this service runs the server. */
    public Optional<Integer> httpPort() {
        return http == null ? Optional.empty() : Optional.of(http.port());
    }

    /** The management port listened on ({@code /health}, {@code /health/ready}, {@code /metrics}), for a worker alone. */
    public Optional<Integer> managementPort() {
        return management == null ? Optional.empty() : Optional.of(management.port());
    }

    public Components components() {
        return components;
    }

    /** Stops taking jobs, lets in-flight batches finish for up to {@code grace}, stops HTTP, closes the connections. */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (worker != null) {
            try {
                worker.stop(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (http != null) {
            LOG.log(System.Logger.Level.INFO, "Stopping the HTTP API");
            http.stop();
        }
        if (management != null) {
            management.stop();
        }
        components.close();
        LOG.log(System.Logger.Level.INFO, "Stopped");
    }

    private static void stopQuietly(DistributionWorker worker) {
        if (worker == null) {
            return;
        }
        try {
            worker.stop(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // the start failure is what the operator needs to see
        }
    }
}
