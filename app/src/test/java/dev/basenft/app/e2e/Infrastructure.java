package dev.basenft.app.e2e;

import dev.basenft.adapter.base.rpc.testing.DevChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * The real parts an end-to-end test runs on: a fresh PostgreSQL database on the machine's server ({@code E2E_POSTGRES_URL},
 * default {@code postgresql://postgres@127.0.0.1:5432/postgres}, is where it is created and dropped), a redis-server of
 * its own on a free port (so queues never mix with anyone else's), and anvil with our contracts. {@link #environment()}
 * is what the application reads, as an operator would set it. Not thread-safe; close once.
 */
final class Infrastructure implements AutoCloseable {

    private static final String ADMIN_URL = System.getenv().getOrDefault("E2E_POSTGRES_URL",
            "postgresql://postgres@127.0.0.1:5432/postgres");

    final DevChain chain;
    final String databaseName;
    final String databaseUrl;
    final int redisPort;
    private final RedisServer redis;

    private Infrastructure(DevChain chain, String databaseName, RedisServer redis, int redisPort) {
        this.chain = chain;
        this.databaseName = databaseName;
        this.databaseUrl = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + databaseName;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    /** Starts everything; {@code anvilArgs} go to anvil (e.g. {@code --block-time 1}). */
    static Infrastructure start(String... anvilArgs) {
        String database = "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database);
        RedisServer redis = null;
        try {
            int port = freePort();
            redis = new RedisServer(port);
            redis.start();
            return new Infrastructure(DevChain.start(anvilArgs), database, redis, port);
        } catch (IOException | RuntimeException e) {
            stopQuietly(redis);
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The variables of a production deployment against these parts: real auth settings, dev auth on (development). */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("BASE_RPC_URL", chain.anvil.url().toString());
        env.put("CHAIN_ID", "8453");
        // anvil under automine makes a block only for a transaction, so no depth above 0 would come after the last mint;
        // Base's chain id would otherwise ask for Base's confirmations.
        env.put("CONFIRMATIONS", "0");
        env.put("FACTORY_ADDRESS", chain.factory.toString());
        env.put("DEPLOYER_ADDRESS", chain.minter.toString());
        env.put("MINTER_PRIVATE_KEY", DevChain.MINTER_KEY_HEX);
        env.put("APP_DOMAIN", "drops.example.com");
        env.put("APP_ENV", "development");
        env.put("ALLOW_DEV_AUTH", "true");
        env.put("PORT", "0");
        // Several workers run at once here (and other tests' on the same machine): each picks a free management port.
        env.put("MANAGEMENT_PORT", "0");
        return env;
    }

    /** A connection to this run's database, to check what the server stored. */
    Connection connect() throws SQLException {
        return connection(databaseUrl);
    }

    private static Connection connection(String databaseUrl) throws SQLException {
        String url = databaseUrl.startsWith("jdbc:") ? databaseUrl : "jdbc:"
                + databaseUrl.replaceFirst("^postgres(ql)?://([^@/]+)@", "postgresql://");
        String user = databaseUrl.matches("^postgres(ql)?://[^@/]+@.*")
                ? databaseUrl.replaceFirst("^postgres(ql)?://([^@:/]+).*", "$2") : null;
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, "");
    }

    private static void admin(String sql) {
        try (Connection c = connection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + ADMIN_URL + " refused: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void stopQuietly(RedisServer redis) {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException ignored) {
                // the test is failing already
            }
        }
    }

    @Override
    public void close() {
        chain.close();
        stopQuietly(redis);
        admin("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
    }
}
