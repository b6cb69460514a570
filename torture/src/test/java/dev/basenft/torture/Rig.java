package dev.basenft.torture;

import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real parts one scenario runs on, each its own so it can be stopped and started again: an embedded PostgreSQL on a
 * fixed port over a data directory that outlives a stop, a {@code redis-server} child process on a fixed port with an
 * append-only file (a restart keeps the queue, as a production Redis does), and anvil making a block every 2 s (Base's
 * block time) with our factory deployed. {@link #environment(String)} is what an operator would give the worker.
 * Not thread-safe; close once.
 */
final class Rig implements AutoCloseable {

    final DevChain chain;
    final long chainId;
    final int postgresPort;
    final int redisPort;
    private final Path dir;
    private EmbeddedPostgres postgres;
    private Process redis;

    private Rig(Path dir, DevChain chain, long chainId, int postgresPort, int redisPort) {
        this.dir = dir;
        this.chain = chain;
        this.chainId = chainId;
        this.postgresPort = postgresPort;
        this.redisPort = redisPort;
    }

    /** Starts PostgreSQL, Redis and anvil ({@code --block-time 2}) for a scenario; its files go under {@code target/torture}. */
    static Rig start(String scenario) {
        return start(scenario, AnvilProcess.CHAIN_ID);
    }

    /**
     * As {@link #start(String)}, with anvil serving {@code chainId}: the worker gets it as {@code CHAIN_ID}, so whatever the
     * application defaults per chain (e.g. how many confirmations it waits for) is what a user of that chain gets.
     */
    static Rig start(String scenario, long chainId) {
        Path dir;
        try {
            Path work = Path.of(System.getProperty("torture.reportDir", "target/torture")).toAbsolutePath().getParent()
                    .resolve("torture-work");
            dir = Files.createTempDirectory(Files.createDirectories(work), scenario + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DevChain chain = DevChain.startWithChainId(chainId, "--block-time", "2");
        Rig rig = new Rig(dir, chain, chainId, AnvilProcess.freePort(), AnvilProcess.freePort());
        try {
            rig.startPostgres();
            rig.startRedis();
            return rig;
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    /** Where logs and data of this scenario live. */
    Path dir() {
        return dir;
    }

    /** The worker's environment against these parts, RPC through {@code rpcUrl} (anvil itself, or a proxy in front of it). */
    Map<String, String> environment(String rpcUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", databaseUrl());
        env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("BASE_RPC_URL", rpcUrl);
        env.put("CHAIN_ID", Long.toString(chainId));
        if (chainId == AnvilProcess.CHAIN_ID) {
            // The rows that never reorganise the chain settle on the first receipt: a depth of Base's 10 blocks would add
            // 20 s per batch here and test nothing they test. The reorg row runs as Base Sepolia, with that chain's default.
            env.put("CONFIRMATIONS", "0");
        }
        env.put("FACTORY_ADDRESS", chain.factory.toString());
        env.put("DEPLOYER_ADDRESS", chain.minter.toString());
        env.put("MINTER_PRIVATE_KEY", DevChain.MINTER_KEY_HEX);
        env.put("APP_DOMAIN", "torture.example");
        env.put("APP_ENV", "test");
        return env;
    }

    String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:" + postgresPort + "/postgres";
    }

    /** A plain JDBC connection for checks, not through the adapter under test. */
    Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", "postgres", "");
    }

    void startPostgres() {
        try {
            // The data directory is kept (no clean-up) so a stopped server starts again on the same data: a restart, not a reset.
            postgres = EmbeddedPostgres.builder()
                    .setPort(postgresPort)
                    .setDataDirectory(dir.resolve("pgdata"))
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL on port " + postgresPort, e);
        }
    }

    /** Stops PostgreSQL (a fast shutdown: open connections are cut, as in a real restart). */
    void stopPostgres() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    void startRedis() {
        try {
            Path data = Files.createDirectories(dir.resolve("redis"));
            redis = new ProcessBuilder(List.of(redisServer(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                    "--dir", data.toString(), "--appendonly", "yes", "--save", "", "--protected-mode", "no"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
        awaitPort(redisPort, Duration.ofSeconds(20), "redis-server");
    }

    /** Stops Redis with SIGTERM: it writes its append-only file and exits, clients see their connections close. */
    void stopRedis() {
        if (redis != null) {
            redis.destroy();
            try {
                if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                    redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                redis.destroyForcibly();
            }
            redis = null;
        }
    }

    private static String redisServer() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "redis-server"; // from PATH; a missing binary fails the start with a clear IOException
    }

    private static void awaitPort(int port, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + " did not listen on port " + port + " within " + timeout);
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stopRedis();
        stopPostgres();
        chain.close();
    }
}
