package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.ScriptBatcher;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The queue's connections to Redis and how it rides out Redis being away: a pool for commands and scripts, a
 * {@link ScriptBatcher} over it for finishes from many threads, one dedicated connection for the blocking pop on the marker,
 * and retries with backoff while Redis cannot be reached. Logs once when Redis goes away and once when it is back.
 *
 * <p>Thread-safe. Arguments must not be null.
 */
final class QueueConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.redis");
    /** Finishes per pipeline, and pipelines in flight at once: enough for fifty workers, small enough to stay quick. */
    private static final int BATCH_SIZE = 64;
    private static final int BATCH_SENDERS = 2;
    /** Connections beyond one per taker/finisher: the timers and producers. */
    private static final int SPARE_CONNECTIONS = 4;
    private static final long FIRST_RETRY_PAUSE_MILLIS = 50;
    private static final long MAX_RETRY_PAUSE_MILLIS = 1000;

    /** Runs one script with its KEYS and ARGV and answers its reply, as Jedis decodes it. */
    @FunctionalInterface
    interface ScriptRunner {
        Object run(LuaScript script, List<String> keys, List<String> args);
    }

    private final String name;
    private final RedisClient redis;
    private final ScriptBatcher batcher;
    private final HostAndPort endpoint;
    private final JedisClientConfig blockingConfig;
    /** Only the thread holding it blocks on the marker; the others wait for it to wake. */
    private final ReentrantLock markerLock = new ReentrantLock();
    /**
     * The shortest blocking wait sent to Redis, in seconds. Redis before 7 reads a BZPOPMIN timeout of 0.001 as 0,
     * which means "block until a marker comes" (seen with 6.2.6: the call hung until the socket timed out, 10 s later,
     * and the queue logged Redis as unreachable every 10 s while idle); 0.002 and above are honored.
     */
    static final double MIN_BLOCK_SECONDS = 0.01;

    /** The dedicated connection for BZPOPMIN; opened lazily, replaced after a failure. Guarded by {@link #markerLock}. */
    private volatile Jedis blocking;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private final LongAdder pipelines = new LongAdder();
    /** What a worker connection's name starts with, before the worker's own name. */
    private final String workerNamePrefix;

    /**
     * Sets up the pool; connects lazily.
     *
     * @param name the queue's key prefix, for messages
     */
    QueueConnection(RedisQueueSettings settings, String name) {
        this.name = name;
        this.workerNamePrefix = queueClientName(settings) + ":w:";
        this.endpoint = new HostAndPort(settings.host(), settings.port());
        int commandTimeout = (int) settings.commandTimeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis(commandTimeout)
                .database(settings.database())
                .ssl(settings.ssl());
        if (!settings.username().isEmpty()) {
            config.user(settings.username());
        }
        if (!settings.password().isEmpty()) {
            config.password(settings.password());
        }
        // The blocking pop must time out on the server first: a socket timeout below the block time would break a healthy
        // connection, and none at all would hang forever on a dead one.
        // It is also the connection a worker is seen by: named as bullmq names its workers' connections, so
        // Queue.getWorkers() in Node (and Bull Board, which uses it) lists each worker process taking from this queue.
        this.blockingConfig = DefaultJedisClientConfig.builder().from(config.build())
                .blockingSocketTimeoutMillis((int) settings.drainDelay().toMillis() + commandTimeout)
                .clientName(workerClientName(settings))
                .build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.concurrency() + SPARE_CONNECTIONS);
        pool.setMaxIdle(settings.concurrency() + SPARE_CONNECTIONS);
        pool.setMinIdle(0);
        pool.setMaxWait(settings.commandTimeout());
        this.redis = RedisClient.builder().hostAndPort(endpoint).clientConfig(config.build()).poolConfig(pool).build();
        this.batcher = new ScriptBatcher(redis, BATCH_SIZE, BATCH_SENDERS);
    }

    /**
     * The client name bullmq gives a worker's connection: {@code <prefix>:<base64 of the queue name>}, then
     * {@code :w:<worker name>} when the worker has one. Redis refuses spaces and control characters in a client name, so
     * any character outside printable ASCII becomes {@code _}.
     */
    static String workerClientName(RedisQueueSettings settings) {
        String base = queueClientName(settings);
        if (settings.workerName().isEmpty()) {
            return base;
        }
        StringBuilder worker = new StringBuilder(settings.workerName().length());
        settings.workerName().chars().forEach(c -> worker.append(c > ' ' && c <= '~' ? (char) c : '_'));
        return base + ":w:" + worker;
    }

    private static String queueClientName(RedisQueueSettings settings) {
        return settings.prefix() + ":"
                + Base64.getEncoder().encodeToString(settings.queueName().getBytes(StandardCharsets.UTF_8));
    }

    /** The names of the worker connections of this queue that Redis holds now, from {@code CLIENT LIST}; sorted. */
    List<String> workerNames() {
        Object reply = redis.sendCommand(Protocol.Command.CLIENT, "LIST");
        String list = reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        List<String> names = new ArrayList<>();
        for (String line : list.split("\n")) {
            for (String field : line.strip().split(" ")) {
                if (field.startsWith("name=" + workerNamePrefix)) {
                    names.add(field.substring(("name=" + workerNamePrefix).length()));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** The pooled client, for plain commands. */
    RedisClient commands() {
        return redis;
    }

    /** Runs a script once on the pool; an exception, {@link #isAway} or not, is the caller's to handle. */
    ScriptRunner once() {
        return (script, keys, args) -> {
            Object reply = script.run(redis, keys, args);
            markUp();
            return reply;
        };
    }

    /** Runs a script on the pool, retrying while Redis is {@link #isAway away}, for at most {@code budget}. */
    ScriptRunner retrying(Duration budget) {
        return (script, keys, args) -> withReconnect(budget, () -> script.run(redis, keys, args));
    }

    /**
     * Runs a script once per entry of {@code argsPerRun} in one pipeline (one round trip), retrying the whole while
     * Redis is {@link #isAway away}, for at most {@code budget}: only for scripts that are safe to run again.
     */
    List<Object> runAllRetrying(Duration budget, LuaScript script, List<String> keys, List<List<String>> argsPerRun) {
        return withReconnect(budget, () -> {
            pipelines.increment();
            return script.runAll(redis, keys, argsPerRun);
        });
    }

    /** How many {@link #runAllRetrying} pipelines were sent, retries included: tests check bulk adds take one. */
    long pipelinesSent() {
        return pipelines.sum();
    }

    /** As {@link #retrying}, sharing pipelines with other threads' calls (the hot finishing path). */
    ScriptRunner batched(Duration budget) {
        return (script, keys, args) -> withReconnect(budget, () -> batcher.run(script, keys, args));
    }

    /**
     * Blocks on the marker for up to {@code millis}, or, when another thread already does, waits for it to wake.
     *
     * @param closed true once the queue stopped taking: then no new blocking starts
     * @throws JedisConnectionException when the blocking connection broke (it is replaced on the next call)
     */
    void awaitMarker(String markerKey, long millis, BooleanSupplier closed) throws InterruptedException {
        if (!markerLock.tryLock()) {
            if (markerLock.tryLock(millis, TimeUnit.MILLISECONDS)) {
                markerLock.unlock();
            }
            return;
        }
        try {
            if (closed.getAsBoolean()) {
                return;
            }
            Jedis connection = blocking;
            if (connection == null) {
                connection = new Jedis(endpoint, blockingConfig);
                blocking = connection;
            }
            try {
                connection.bzpopmin(Math.max(MIN_BLOCK_SECONDS, millis / 1000.0), markerKey);
            } catch (JedisConnectionException e) {
                blocking = null;
                connection.close();
                throw e;
            }
        } finally {
            markerLock.unlock();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Wakes a thread blocked on the marker: its socket closes under it. */
    void wakeBlocked() {
        Jedis connection = blocking;
        if (connection != null) {
            connection.close();
        }
    }

    /**
     * Whether {@code e} says Redis is away for now, to be retried: unreachable, or restarted and still loading its data
     * (it then answers every command with {@code LOADING} until the data is back, which takes seconds on a big dataset).
     */
    static boolean isAway(RuntimeException e) {
        return e instanceof JedisConnectionException
                || e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith("LOADING");
    }

    /** Notes that Redis could not be reached (logged once until it is back). */
    void markDown(RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Redis queue " + name + " unreachable, retrying: " + e);
        }
    }

    /** Notes that Redis answered (logged when it had been unreachable). */
    void markUp() {
        if (down.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "Redis queue {0} reachable again", name);
        }
    }

    private <T> T withReconnect(Duration budget, Supplier<T> command) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = FIRST_RETRY_PAUSE_MILLIS;
        while (true) {
            try {
                T result = command.get();
                markUp();
                return result;
            } catch (RuntimeException e) {
                if (!isAway(e)) {
                    throw e;
                }
                markDown(e);
                if (released.get() || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
                    throw e;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(MAX_RETRY_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    /** Closes every connection; commands in retry give up. Idempotent. */
    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        markerLock.lock();
        try {
            Jedis connection = blocking;
            blocking = null;
            if (connection != null) {
                connection.close();
            }
        } finally {
            markerLock.unlock();
        }
        redis.close();
    }
}
