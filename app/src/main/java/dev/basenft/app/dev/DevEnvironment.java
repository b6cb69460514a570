package dev.basenft.app.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * What {@code dev} starts before the application: an embedded PostgreSQL unless {@code DATABASE_URL} is set, an embedded
 * Redis unless {@code REDIS_HOST} or {@code REDIS_URL} is set, and a local anvil chain with our factory deployed unless
 * {@code BASE_RPC_URL} is set; development settings (dev auth on, listening on {@code 127.0.0.1} only) for anything else
 * left unset. Everything it starts is ephemeral and goes away with {@link #close()}: a fresh chain needs a fresh database.
 * Not thread-safe.
 */
public final class DevEnvironment implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.basenft.dev");

    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private LocalChain chain;

    private DevEnvironment() {
    }

    /**
     * Starts what {@code env} does not configure.
     *
     * @param env the process environment; never null. Also read: {@code DEV_BLOCK_TIME} (seconds between blocks of the
     *     local chain, default 2 like Base; 0 mines one block per transaction), {@code ANVIL_PORT} (default 8545),
     *     {@code BASE_NFT_HOME} (the checkout holding {@code contracts/}).
     */
    public static DevEnvironment start(Map<String, String> env) {
        DevEnvironment dev = new DevEnvironment();
        try {
            dev.startAll(env);
            return dev;
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    private void startAll(Map<String, String> env) {
        if (blank(env.get("DATABASE_URL"))) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                started.push(postgres);
                variables.put("DATABASE_URL", postgres.getJdbcUrl("postgres", "postgres"));
                LOG.log(System.Logger.Level.INFO, "Embedded PostgreSQL on port {0}", Integer.toString(postgres.getPort()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL; set DATABASE_URL to use a running one", e);
            }
        }
        if (blank(env.get("REDIS_HOST")) && blank(env.get("REDIS_URL"))) {
            int port = LocalChain.freePort();
            RedisServer redis;
            try {
                redis = new RedisServer(port);
                redis.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded Redis; set REDIS_HOST or REDIS_URL to use a running"
                        + " one", e);
            }
            started.push(redis::stop);
            variables.put("REDIS_URL", "redis://127.0.0.1:" + port);
            LOG.log(System.Logger.Level.INFO, "Embedded Redis on port {0}", Integer.toString(port));
        }
        if (blank(env.get("BASE_RPC_URL"))) {
            int blockTime = integer(env, "DEV_BLOCK_TIME", 2);
            chain = LocalChain.start(Toolchain.projectRoot(env.get("BASE_NFT_HOME")), integer(env, "ANVIL_PORT", 8545),
                    blockTime);
            started.push(chain);
            variables.put("BASE_RPC_URL", chain.url().toString());
            variables.put("CHAIN_ID", Long.toString(LocalChain.CHAIN_ID));
            variables.put("FACTORY_ADDRESS", chain.factory.toString());
            variables.put("DEPLOYER_ADDRESS", chain.minter.toString());
            variables.put("MINTER_PRIVATE_KEY", LocalChain.MINTER_KEY);
            LOG.log(System.Logger.Level.INFO, "Local chain {0} at {1} ({2}); factory {3}, minter {4}",
                    Long.toString(LocalChain.CHAIN_ID), chain.url(), blockTime == 0 ? "a block per transaction"
                            : "a block every " + blockTime + " s", chain.factory, chain.minter);
        }
        defaultTo(env, "APP_ENV", "development", "NODE_ENV");
        defaultTo(env, "ALLOW_DEV_AUTH", "true", null);
        defaultTo(env, "APP_DOMAIN", "localhost", "NEXT_PUBLIC_APP_DOMAIN");
        // Dev auth lets anyone act as any FID: only this machine may reach it, unless HOST says otherwise.
        defaultTo(env, "HOST", "127.0.0.1", null);
        // A local chain mines a block per transaction or every few seconds: settle on the first receipt, as before.
        defaultTo(env, "CONFIRMATIONS", "0", null);
    }

    private void defaultTo(Map<String, String> env, String name, String value, String alias) {
        if (blank(env.get(name)) && (alias == null || blank(env.get(alias)))) {
            variables.put(name, value);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (blank(value)) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new dev.basenft.app.config.ConfigurationException(java.util.List.of(name + " must be a whole number, got '"
                    + value + "'"));
        }
    }

    private static String urlHost(String host) {
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "localhost";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The variables to lay over the process environment: those of what was started, and development defaults. */
    public Map<String, String> variables() {
        return Map.copyOf(variables);
    }

    /**
     * Prints where the console is and a short walkthrough.
     *
     * @param host the address listened on ({@code HOST}); the URL names it, since {@code localhost} may resolve to
     *     {@code ::1} first while dev listens on {@code 127.0.0.1} only; a wildcard address is shown as {@code localhost}
     * @param httpPort the port listened on
     */
    public void printWelcome(String host, int httpPort) {
        String base = "http://" + urlHost(host) + ":" + httpPort;
        StringBuilder out = new StringBuilder();
        out.append("\n  base-nft dev is running: ").append(base).append("   (health: ").append(base).append("/health/ready)\n");
        if (chain != null) {
            out.append("  local chain ").append(chain.url()).append(" (chain id ").append(LocalChain.CHAIN_ID)
                    .append("), factory ").append(chain.factory).append(", creator wallet ").append(chain.creator)
                    .append(" (anvil dev account 2)\n");
        }
        out.append("  Console: ").append(base).append("/   (sign in with any FID; deploy with the dev wallet, anvil's creator "
                + "account)\n");
        out.append("  Try it:\n");
        out.append("    1. ").append(httpPort == 3000 ? "bin/demo" : "API=" + base + " bin/demo")
                .append("                 # creates a campaign, deploys its collection, uploads 25 recipients, distributes\n");
        out.append("    2. curl -H 'Authorization: Bearer dev:1' ").append(base).append("/api/campaigns   # you are FID 1\n");
        out.append("    3. curl ").append(base).append("/openapi.json   # every route; Ctrl-C stops everything\n");
        System.out.println(out);
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "stopping a dev service failed: " + e);
            }
        }
    }

}
