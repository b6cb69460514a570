package dev.basenft.adapter.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;

/**
 * The Redis the tests run on: {@code REDIS_URL}, or {@code REDIS_HOST}/{@code REDIS_PORT}, when set; else the machine's
 * 127.0.0.1:6379 when it answers (unless {@code REDIS_TEST_EMBEDDED=true}); else an embedded redis-server (binaries shipped in the embedded-redis jar) on a free
 * port, started once per test JVM. Tests keep apart from each other and from anyone else on that Redis by a random key
 * prefix per test, and delete only their own keys. Thread-safe.
 */
public final class TestRedis {

    private static RedisQueueSettings base;
    private static RedisServer embedded;

    private TestRedis() {
    }

    /** Settings for a fresh queue under a random prefix, on the test Redis. */
    static RedisQueueSettings.Builder fresh() {
        return base().toBuilder().prefix("bnt-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public static synchronized RedisQueueSettings base() {
        if (base == null) {
            base = resolve();
        }
        return base;
    }

    private static RedisQueueSettings resolve() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return RedisQueueSettings.builder().url(url).build();
        }
        String host = System.getenv("REDIS_HOST");
        if (host != null && !host.isBlank()) {
            String port = System.getenv("REDIS_PORT");
            return RedisQueueSettings.builder().host(host).port(port == null || port.isBlank() ? 6379 : Integer.parseInt(port))
                    .build();
        }
        if (!"true".equals(System.getenv("REDIS_TEST_EMBEDDED")) && answers("127.0.0.1", 6379)) {
            return RedisQueueSettings.builder().host("127.0.0.1").port(6379).build();
        }
        int port = freePort();
        try {
            embedded = new RedisServer(port);
            embedded.start();
        } catch (IOException e) {
            throw new IllegalStateException("no Redis for the tests: REDIS_URL/REDIS_HOST unset, nothing on 127.0.0.1:6379, "
                    + "and the embedded redis-server did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.stop();
            } catch (IOException e) {
                // The JVM is going away; the process dies with it.
            }
        }));
        return RedisQueueSettings.builder().host("127.0.0.1").port(port).build();
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            try (Jedis jedis = new Jedis(new HostAndPort(host, port),
                    DefaultJedisClientConfig.builder().timeoutMillis(1000).build())) {
                return "PONG".equals(jedis.ping());
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** A plain connection to the queue's Redis and database, for looking at keys as an operator would. */
    static Jedis connect(RedisQueueSettings settings) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().timeoutMillis(5000)
                .database(settings.database());
        if (!settings.password().isEmpty()) {
            config.password(settings.password());
        }
        if (!settings.username().isEmpty()) {
            config.user(settings.username());
        }
        return new Jedis(new HostAndPort(settings.host(), settings.port()), config.build());
    }

    /** Deletes every key of the queue (its prefix), and only those. */
    static void deleteKeys(RedisQueueSettings settings) {
        try (Jedis jedis = connect(settings)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(globEscape(settings.keyPrefix()) + "*").count(1000);
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                List<String> found = page.getResult();
                if (!found.isEmpty()) {
                    jedis.del(found.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    private static String globEscape(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
