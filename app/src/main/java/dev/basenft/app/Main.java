package dev.basenft.app;

import dev.basenft.app.config.ConfigurationException;
import dev.basenft.app.config.Settings;
import dev.basenft.app.dev.DevEnvironment;
import dev.basenft.app.wiring.StartupException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar base-nft-app.jar <command>}: {@code server} (the HTTP API), {@code worker} (the distribution worker),
 * {@code dev} (both, on embedded PostgreSQL and Redis and a local anvil chain unless configured otherwise), {@code migrate}
 * (apply the database migrations and exit), {@code doctor} (the runbook's checks, read-only) and {@code deploy-factory}
 * (put the contracts on a chain and exit).
 *
 * <p>Exit codes: 0 after a clean run or a graceful SIGTERM/SIGINT shutdown; 2 for a bad command or invalid configuration
 * (every bad variable named); 1 when a service cannot be reached or disagrees with the configuration.
 */
public final class Main {

    /** Exit code for invalid configuration or usage. */
    public static final int EXIT_CONFIGURATION = 2;
    /** Exit code when the process cannot start for another reason (a service down, the wrong chain). */
    public static final int EXIT_STARTUP = 1;
    private static final System.Logger LOG = System.getLogger("dev.basenft.app");
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private Main() {
    }

    public static void main(String[] args) {
        // Always through System.exit: library threads that are not daemons must not keep a stopped service alive.
        System.exit(run(args, System.getenv(), System.err));
    }

    /**
     * Runs {@code args[0]} until it ends (migrate) or the process is told to stop (server, worker, dev).
     *
     * @return the exit code
     */
    static int run(String[] args, Map<String, String> env, PrintStream err) {
        return run(args, env, System.out, err);
    }

    /**
     * Runs a command as {@code main} does, without exiting the JVM: for tests and for tools that drive base-nft's commands.
     * A one-shot command ({@code migrate}, {@code deploy-factory}) prints its results to {@code out}; problems go to
     * {@code err}.
     *
     * @return the exit code
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0].toLowerCase(Locale.ROOT);
        try {
            return switch (command) {
                case "server", "worker", "dev" -> serve(Command.valueOf(command.toUpperCase(Locale.ROOT)), env);
                case "migrate" -> migrate(env);
                case "doctor" -> DoctorCommand.run(env, out);
                case "deploy-factory" -> DeployFactoryCommand.run(java.util.Arrays.asList(args).subList(1, args.length), env,
                        out, err);
                default -> {
                    err.println(usage(command));
                    yield EXIT_CONFIGURATION;
                }
            };
        } catch (ConfigurationException e) {
            err.println("base-nft " + command + ": " + e.getMessage());
            return EXIT_CONFIGURATION;
        } catch (StartupException e) {
            err.println("base-nft " + command + ": cannot start: " + e.getMessage());
            return EXIT_STARTUP;
        }
    }

    private static String usage(String given) {
        return (given.isEmpty() ? "" : "unknown command '" + given + "'\n") + """
                usage: base-nft <command>
                  server    the HTTP API on HOST:PORT (0.0.0.0:3000); never signs, so it reads no MINTER_PRIVATE_KEY
                  worker    the distribution worker; run as many as you like against one PostgreSQL and Redis;
                            /health, /health/ready and /metrics on HOST:MANAGEMENT_PORT (0.0.0.0:9464)
                  dev       server and worker together on 127.0.0.1 (unless HOST is set), with embedded PostgreSQL and
                            Redis and a local anvil chain
                            (each unless DATABASE_URL / REDIS_HOST or REDIS_URL / BASE_RPC_URL is set)
                  migrate   apply the database migrations to DATABASE_URL and exit
                  doctor    run the runbook's checks read-only (schema, queue, workers, batches, chain, factory,
                            minter balance, nonces) with the server's environment; one verdict per line, exit 1 on FAIL
                  deploy-factory [--another]
                            deploy the collection implementation and a factory for DEPLOYER_ADDRESS (the minter) to
                            the chain of BASE_RPC_URL and CHAIN_ID, paid by DEPLOY_PRIVATE_KEY_FILE; prints the
                            FACTORY_ADDRESS to use. Refuses a second factory for the same minter unless --another
                configuration comes from the environment: see README.md and docs/RUNBOOK.md""";
    }

    private static int migrate(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url == null || url.isBlank()) {
            throw new ConfigurationException(java.util.List.of("DATABASE_URL is missing: the PostgreSQL database to migrate"));
        }
        int applied = Service.migrate(url);
        LOG.log(System.Logger.Level.INFO, "Applied {0,number,#} migration(s); the schema is up to date",
                Integer.toString(applied));
        return 0;
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static int serve(Command command, Map<String, String> env) {
        // Installed first: a SIGTERM that arrives while the service is still starting must stop it gracefully too.
        CountDownLatch terminate = new CountDownLatch(1);
        Signals.onTerminate(terminate::countDown);
        DevEnvironment dev = null;
        Map<String, String> effective = new HashMap<>(env);
        if (command == Command.DEV) {
            dev = DevEnvironment.start(env);
            effective.putAll(dev.variables());
        }
        Service service;
        Settings settings;
        try {
            // Only a process that signs reads the minter key; the server is the one exposed to the internet.
            settings = Settings.fromEnvironment(effective,
                    command.worker ? Settings.Role.WORKER : Settings.Role.SERVER);
            if (!command.worker
                    && (present(effective, "MINTER_PRIVATE_KEY") || present(effective, "MINTER_PRIVATE_KEY_FILE"))) {
                LOG.log(System.Logger.Level.WARNING, "MINTER_PRIVATE_KEY is set, but the server never signs and does not read "
                        + "it; remove it (and MINTER_PRIVATE_KEY_FILE) from the server's environment");
            }
            LOG.log(System.Logger.Level.INFO, "Starting {0} with {1}", command.name().toLowerCase(Locale.ROOT), settings);
            service = Service.start(command, settings, InstantSource.system());
        } catch (RuntimeException e) {
            if (dev != null) {
                dev.close();
            }
            throw e;
        }
        DevEnvironment devToClose = dev;
        Runnable shutdown = () -> {
            service.stop(SHUTDOWN_GRACE);
            if (devToClose != null) {
                devToClose.close();
            }
        };
        // Any other way the JVM goes down (System.exit elsewhere, SIGHUP) still parks the worker's batches first.
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "base-nft-shutdown"));
        if (dev != null) {
            dev.printWelcome(settings.host(), service.httpPort().orElseThrow());
        }
        try {
            terminate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown.run();
        return 0;
    }
}
