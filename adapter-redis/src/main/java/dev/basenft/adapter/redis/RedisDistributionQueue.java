package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.internal.Json;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import dev.basenft.adapter.redis.internal.ScriptBatcher;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.JobOutcome;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Core's {@link DistributionQueue} on Redis, in BullMQ's key layout, so a Node {@code bullmq} producer or worker and this one
 * share one queue, and {@code redis-cli LLEN bull:distribution:wait} / {@code …:active} mean what the runbook says.
 *
 * <p><b>Jobs.</b> A batch becomes job {@link Batch#jobId()} named {@value #JOB_NAME}, data
 * {@code {"batchId":"<uuid>","campaignId":"<uuid>","index":N,"run":N}} (only {@code batchId} is read; Node producers may send
 * just that) and options {@code {"attempts":…,"backoff":{…},"removeOnComplete":N,"removeOnFail":N,"jobId":…}}. Adding a job
 * id whose hash exists does nothing but write a {@code duplicated} event. A taken job's attempts, backoff and keep counts
 * come from its own options when it has them (as in BullMQ), else from the settings.
 *
 * <p><b>Taking.</b> {@link #take} runs one script that promotes due delayed jobs, takes the next job, locks it with a token
 * and leaves a marker for other idle workers; when there is nothing, one thread per queue blocks on {@code BZPOPMIN marker}
 * over a dedicated connection while the others wait for it to wake. A job stalled more than {@code maxStalledCount} times
 * (BullMQ's {@code defa}) or whose data has no valid {@code batchId} is failed at once instead of being handed out.
 *
 * <p><b>While a job runs</b> a timer renews its lock every half {@code lockDuration}; another timer runs the stalled-job
 * check every {@code stalledInterval}, so a job whose worker died goes back to {@code wait}.
 *
 * <p><b>Finishing</b> ({@link #finish}): {@code Done} completes; {@code Delay} re-schedules without using an attempt;
 * {@code Retry} uses an attempt and backs off, or fails the job on its last attempt ({@code retries-exhausted});
 * {@code Failed} fails it. Each is one Lua script that first checks the lock token: a worker that lost its job's lock is
 * refused with {@link IllegalStateException} and changes nothing. Finished jobs are kept up to the keep counts. With
 * {@code fetchNext} (the default) completing or failing a job also takes the next one for this instance's next
 * {@link #take}, in the same script, as BullMQ's worker does; finishes from many threads share pipelines.
 *
 * <p><b>Failures.</b> Commands that cannot reach Redis are retried with backoff (for up to {@code lockDuration} when
 * finishing, a few seconds otherwise) before their {@link redis.clients.jedis.exceptions.JedisConnectionException} is
 * thrown; {@link #take} treats an unreachable Redis as "no job yet" and keeps trying until its wait is up.
 *
 * <p>Thread-safe: any number of threads may enqueue, take and finish at once. Arguments must not be null.
 */
public final class RedisDistributionQueue implements DistributionQueue, AutoCloseable {

    /** The BullMQ job name of every job this adapter adds. */
    public static final String JOB_NAME = "distribute";

    private static final System.Logger LOG = System.getLogger("dev.basenft.adapter.redis");
    /** Jobs per add script: big enough to amortise the round trip, small enough not to stall Redis (about a millisecond). */
    private static final int BULK_CHUNK = 1000;
    /** BullMQ's delayed scores hold milliseconds × 4096 in a double, good until 2039: cap delays well inside that. */
    private static final long MAX_DELAY_MILLIS = Duration.ofDays(365).toMillis();
    private static final Duration COMMAND_RETRY_BUDGET = Duration.ofSeconds(5);
    private static final String ADAPTER_VERSION = "base-nft-adapter-redis:1";

    private static final LuaScript ADD = LuaScript.load("add");
    private static final LuaScript TAKE = LuaScript.load("take", "lib/take_next");
    private static final LuaScript FINISH = LuaScript.load("finish", "lib/take_next");
    private static final LuaScript RELEASE = LuaScript.load("release");
    private static final LuaScript RESCHEDULE = LuaScript.load("reschedule");
    private static final LuaScript EXTEND = LuaScript.load("extend");
    private static final LuaScript STALLED = LuaScript.load("stalled");
    private static final LuaScript PAUSE = LuaScript.load("pause");
    private static final LuaScript COUNTS = LuaScript.load("counts");
    private static final LuaScript REVIVE = LuaScript.load("revive");

    private final RedisQueueSettings settings;
    private final InstantSource clock;
    private final QueueKeys keys;
    private final RedisClient redis;
    /** Finishing is the hot path with many workers: concurrent finishes share pipelines. */
    private final ScriptBatcher batcher;
    private final HostAndPort endpoint;
    private final JedisClientConfig blockingConfig;
    private final ScheduledExecutorService timers;
    private final String workerId = UUID.randomUUID().toString();
    private final AtomicLong lockCounter = new AtomicLong();
    /** Jobs this instance holds a lock on, by job id: what the renewal timer renews. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /**
     * Jobs taken ahead by {@link #finish} for the next {@link #take} (BullMQ's "fetch next"): one round trip per job instead
     * of two. At most {@code concurrency}; locked and renewed like any held job; given back to {@code wait} on close.
     */
    private final Queue<DistributionJob> fetched = new ConcurrentLinkedQueue<>();
    private final AtomicInteger fetchedCount = new AtomicInteger();
    /** Only the thread holding it blocks on the marker; the others wait for it to wake. */
    private final ReentrantLock markerLock = new ReentrantLock();
    /** The dedicated connection for BZPOPMIN; opened lazily, replaced after a failure. Guarded by {@link #markerLock}. */
    private volatile Jedis blocking;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean redisDown = new AtomicBoolean();

    private final List<String> addKeys;
    private final List<String> takeKeys;
    private final List<String> completeKeys;
    private final List<String> failKeys;
    private final List<String> releaseKeys;
    private final List<String> rescheduleKeys;
    private final List<String> extendKeys;
    private final List<String> stalledKeys;
    private final List<String> pauseKeys;
    private final List<String> countKeys;
    private final List<String> reviveKeys;

    private RedisDistributionQueue(RedisQueueSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        this.keys = QueueKeys.of(settings.keyPrefix());
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
        this.blockingConfig = DefaultJedisClientConfig.builder().from(config.build())
                .blockingSocketTimeoutMillis((int) settings.drainDelay().toMillis() + commandTimeout)
                .build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        // One connection per concurrent taker/finisher, plus the timers and producers.
        pool.setMaxTotal(settings.concurrency() + 4);
        pool.setMaxIdle(settings.concurrency() + 4);
        pool.setMinIdle(0);
        pool.setMaxWait(settings.commandTimeout());
        this.redis = RedisClient.builder().hostAndPort(endpoint).clientConfig(config.build()).poolConfig(pool).build();
        this.batcher = new ScriptBatcher(redis, 64, 2);

        KeyLists k = new KeyLists(keys);
        this.addKeys = k.add;
        this.takeKeys = k.take;
        this.completeKeys = k.complete;
        this.failKeys = k.fail;
        this.releaseKeys = List.of(keys.waitList(), keys.active(), keys.marker(), keys.meta(), keys.events());
        this.rescheduleKeys = k.reschedule;
        this.extendKeys = List.of(keys.stalled());
        this.stalledKeys = k.stalled;
        this.pauseKeys = k.pause;
        this.reviveKeys = List.of(keys.completed(), keys.failed(), keys.events());
        this.countKeys = k.counts;

        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "redis-queue-" + settings.queueName() + "-timers");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timers = executor;
    }

    /**
     * Connects to the queue with the system clock. See {@link #open(RedisQueueSettings, InstantSource)}.
     *
     * @param settings not null
     */
    public static RedisDistributionQueue open(RedisQueueSettings settings) {
        return open(settings, InstantSource.system());
    }

    /**
     * Connects to the queue, writes its {@code meta} defaults where missing and starts the lock-renewal and stalled-check
     * timers.
     *
     * @param settings not null
     * @param clock the time written into jobs and scripts (BullMQ takes time from its clients too); not null
     * @throws redis.clients.jedis.exceptions.JedisException when Redis cannot be reached
     */
    public static RedisDistributionQueue open(RedisQueueSettings settings, InstantSource clock) {
        Require.notNull("settings", settings);
        Require.notNull("clock", clock);
        RedisDistributionQueue queue = new RedisDistributionQueue(settings, clock);
        try {
            queue.start();
        } catch (RuntimeException e) {
            queue.release();
            throw e;
        }
        return queue;
    }

    private void start() {
        // BullMQ's Queue writes these too; written only where missing so a Node queue's own values win.
        redis.hsetnx(keys.meta(), "opts.maxLenEvents", Integer.toString(settings.maxLenEvents()));
        redis.hsetnx(keys.meta(), "version", ADAPTER_VERSION);
        long renewEvery = Math.max(50, settings.lockDuration().toMillis() / 2);
        timers.scheduleAtFixedRate(this::renewLocksQuietly, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long checkEvery = settings.stalledInterval().toMillis();
        timers.scheduleWithFixedDelay(this::checkStalledQuietly, 0, checkEvery, TimeUnit.MILLISECONDS);
    }

    /** The settings this queue runs with. */
    public RedisQueueSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------------------------------------------------- adding

    /** Adds the batch's job unless a job with its id exists (then writes a {@code duplicated} event). */
    @Override
    public void enqueue(Batch batch) {
        Require.notNull("batch", batch);
        add(List.of(batch), 0);
    }

    /**
     * Adds the batch's job to run no earlier than {@code delay} from now, unless a job with its id exists.
     *
     * @param delay not negative; capped at a year
     * @return whether a job was added
     */
    public boolean enqueue(Batch batch, Duration delay) {
        Require.notNull("batch", batch);
        return add(List.of(batch), delayMillis("delay", delay)) == 1;
    }

    /**
     * Adds the jobs of many batches in few round trips (one script per 1,000), skipping those whose job exists. Each chunk is
     * atomic; the whole call is not.
     *
     * @param batches not null, no null elements
     * @return how many jobs were added
     */
    public int enqueueAll(Collection<Batch> batches) {
        Require.notNull("batches", batches);
        List<Batch> list = List.copyOf(batches);
        int added = 0;
        for (int from = 0; from < list.size(); from += BULK_CHUNK) {
            added += add(list.subList(from, Math.min(list.size(), from + BULK_CHUNK)), 0);
        }
        return added;
    }

    private int add(List<Batch> batches, long delay) {
        ensureOpen();
        if (batches.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(5 + 3 * batches.size());
        args.add(keys.prefix());
        args.add(JOB_NAME);
        args.add(Long.toString(clock.millis()));
        args.add(Long.toString(delay));
        args.add(Integer.toString(settings.maxLenEvents()));
        for (Batch batch : batches) {
            args.add(batch.jobId());
            args.add(jobData(batch));
            args.add(jobOptions(batch.jobId(), delay));
        }
        return (int) asLong(withReconnect(COMMAND_RETRY_BUDGET, () -> ADD.run(redis, addKeys, args)));
    }

    /** The job's data; {@code batchId} is the only field a worker reads. */
    static String jobData(Batch batch) {
        return "{\"batchId\":\"" + batch.id() + "\",\"campaignId\":\"" + batch.campaignId() + "\",\"index\":"
                + batch.index() + ",\"run\":" + batch.run() + "}";
    }

    /** BullMQ job options, so a Node worker retries and keeps this job as ours would. */
    private String jobOptions(String jobId, long delay) {
        Backoff backoff = settings.backoff();
        StringBuilder opts = new StringBuilder(200)
                .append("{\"attempts\":").append(settings.attempts())
                .append(",\"backoff\":{\"type\":\"").append(backoff.type().bullName())
                .append("\",\"delay\":").append(backoff.delay().toMillis());
        if (backoff.jitter() > 0) {
            opts.append(",\"jitter\":").append(backoff.jitter());
        }
        opts.append("},\"removeOnComplete\":").append(settings.keepCompleted())
                .append(",\"removeOnFail\":").append(settings.keepFailed());
        if (delay > 0) {
            opts.append(",\"delay\":").append(delay);
        }
        return opts.append(",\"jobId\":").append(Json.quote(jobId)).append('}').toString();
    }

    /**
     * Adds a job for every given open batch that has no live one: its job is missing (Redis lost it) or finished (e.g.
     * failed for stalling too often) while the batch stayed open. A finished job is removed first, so the new one keeps the
     * batch's job id and Node's {@code bullmq} sees an ordinary waiting job. Chunks of 1,000; each chunk's check is atomic,
     * and adding stays idempotent if another worker heals the same batch at once.
     *
     * @return how many jobs were added
     */
    @Override
    public int ensureQueued(List<Batch> openBatches) {
        Require.notNull("openBatches", openBatches);
        ensureOpen();
        int added = 0;
        for (int from = 0; from < openBatches.size(); from += BULK_CHUNK) {
            List<Batch> chunk = openBatches.subList(from, Math.min(openBatches.size(), from + BULK_CHUNK));
            List<String> args = new ArrayList<>(2 + chunk.size());
            args.add(keys.prefix());
            args.add(Integer.toString(settings.maxLenEvents()));
            Map<String, Batch> byJob = new java.util.LinkedHashMap<>();
            for (Batch batch : chunk) {
                args.add(batch.jobId());
                byJob.put(batch.jobId(), batch);
            }
            List<?> missing = (List<?>) withReconnect(COMMAND_RETRY_BUDGET, () -> REVIVE.run(redis, reviveKeys, args));
            List<Batch> toAdd = new ArrayList<>(missing.size());
            for (Object jobId : missing) {
                toAdd.add(byJob.get(asString(jobId)));
            }
            added += add(toAdd, 0);
        }
        return added;
    }

    // ---------------------------------------------------------------------------------------------------------- taking

    /**
     * Takes the next job, waiting up to {@code maxWait} for one; the job is locked to this queue instance (and renewed) until
     * {@link #finish}ed. Returns at once, empty, after {@link #close}.
     *
     * @param maxWait not null; zero or negative tries once
     * @throws InterruptedException when interrupted while waiting
     */
    @Override
    public Optional<DistributionJob> take(Duration maxWait) throws InterruptedException {
        Require.notNull("maxWait", maxWait);
        long deadline = System.nanoTime() + Math.max(0, saturatedNanos(maxWait));
        while (!closed.get()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            DistributionJob ready = fetched.poll();
            if (ready != null) {
                fetchedCount.decrementAndGet();
                return Optional.of(ready);
            }
            long nextDue;
            try {
                Taken taken = takeOnce();
                if (taken.job != null) {
                    return Optional.of(taken.job);
                }
                if (taken.retryNow) {
                    continue;
                }
                nextDue = taken.nextDue;
                markUp();
            } catch (JedisConnectionException e) {
                markDown(e);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.MILLISECONDS.sleep(Math.min(left, 250));
                continue;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return Optional.empty();
            }
            long block = Math.min(left, settings.drainDelay().toMillis());
            if (nextDue >= 0) {
                // Wake when the earliest delayed job falls due: promoting it is our job, there is no scheduler.
                block = Math.min(block, Math.max(1, nextDue - clock.millis()));
            }
            try {
                awaitMarker(block);
            } catch (JedisConnectionException e) {
                if (!closed.get()) {
                    markDown(e);
                    TimeUnit.MILLISECONDS.sleep(Math.min(block, 250));
                }
            }
        }
        return Optional.empty();
    }

    /** One take step. */
    private Taken takeOnce() {
        String token = nextToken();
        List<String> args = List.of(keys.prefix(), token, Long.toString(settings.lockDuration().toMillis()),
                Long.toString(clock.millis()), Integer.toString(settings.maxLenEvents()), settings.workerName());
        return accept((List<?>) TAKE.run(redis, takeKeys, args), token);
    }

    private String nextToken() {
        return workerId + ":" + lockCounter.incrementAndGet();
    }

    /**
     * Turns a take reply into a job this instance holds. A job that must not run (stalled too often, or no valid
     * {@code batchId}) is failed at once, and the caller asked to take again.
     */
    private Taken accept(List<?> reply, String token) {
        String jobId = asString(reply.get(0));
        if (jobId.isEmpty()) {
            return Taken.none(Long.parseLong(asString(reply.get(1))));
        }
        String batchText = asString(reply.get(1));
        int attemptsMade = intOr(asString(reply.get(2)), 0);
        int attempts = intOr(asString(reply.get(3)), settings.attempts());
        Backoff backoff = backoff(asString(reply.get(4)), asString(reply.get(5)), asString(reply.get(6)));
        int keepCompleted = intOr(asString(reply.get(7)), settings.keepCompleted());
        int keepFailed = intOr(asString(reply.get(8)), settings.keepFailed());
        String mustFail = asString(reply.get(9));
        Held lock = new Held(token, backoff, keepCompleted, keepFailed);
        held.put(jobId, lock);

        if (mustFail.isEmpty()) {
            try {
                BatchId batchId = BatchId.parse(batchText);
                // BullMQ's attempts default is 0, meaning one attempt; a job always gets at least one.
                return Taken.of(new DistributionJob(jobId, batchId, Math.max(0, attemptsMade), Math.max(1, attempts),
                        token));
            } catch (IllegalArgumentException e) {
                mustFail = "job data has no valid batchId (expected {\"batchId\":\"<uuid>\"}): " + e.getMessage();
            }
        }
        LOG.log(Level.WARNING, "Failing job {0} without running it: {1}", jobId, mustFail);
        try {
            long code = finishScript(jobId, token, clock.millis(), "failed", mustFail, keepFailed, false, false).code;
            if (code != 0) {
                LOG.log(Level.WARNING, refusal(jobId, code));
            }
        } finally {
            held.remove(jobId, lock);
        }
        return Taken.again();
    }

    private Backoff backoff(String type, String delay, String jitter) {
        Backoff fallback = settings.backoff();
        Backoff.Type parsed = switch (type) {
            case "fixed" -> Backoff.Type.FIXED;
            case "exponential" -> Backoff.Type.EXPONENTIAL;
            // Node's custom strategies cannot run here; their jobs back off as the settings say.
            default -> null;
        };
        if (parsed == null) {
            return fallback;
        }
        try {
            long millis = delay.isEmpty() ? 0 : Long.parseLong(delay);
            double j = jitter.isEmpty() ? 0 : Double.parseDouble(jitter);
            return new Backoff(parsed, Duration.ofMillis(millis), Math.max(0, Math.min(1, j)));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** Blocks on the marker for up to {@code millis}, or, when another thread already does, waits for it to wake. */
    private void awaitMarker(long millis) throws InterruptedException {
        if (!markerLock.tryLock()) {
            if (markerLock.tryLock(millis, TimeUnit.MILLISECONDS)) {
                markerLock.unlock();
            }
            return;
        }
        try {
            if (closed.get()) {
                return;
            }
            Jedis connection = blocking;
            if (connection == null) {
                connection = new Jedis(endpoint, blockingConfig);
                blocking = connection;
            }
            try {
                connection.bzpopmin(Math.max(0.001, millis / 1000.0), keys.marker());
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

    // ------------------------------------------------------------------------------------------------------- finishing

    /**
     * Settles a job taken from this queue instance.
     *
     * @throws IllegalStateException when the job's lock is no longer this worker's (it lapsed, or another worker took the
     *     job over after a stall), when the job is not active or was removed: nothing is changed then
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when Redis stayed unreachable for a lock duration
     */
    @Override
    public void finish(DistributionJob job, JobOutcome outcome) {
        Require.notNull("job", job);
        Require.notNull("outcome", outcome);
        Held lock = held.get(job.jobId());
        if (lock != null && !lock.token.equals(job.lockToken())) {
            lock = null;
        }
        try {
            settle(job, lock, outcome);
        } finally {
            if (lock != null) {
                held.remove(job.jobId(), lock);
            }
            if (closed.get() && held.isEmpty()) {
                release();
            }
        }
    }

    private void settle(DistributionJob job, Held lock, JobOutcome outcome) {
        String jobId = job.jobId();
        String token = job.lockToken();
        long now = clock.millis();
        int keepCompleted = lock == null ? settings.keepCompleted() : lock.keepCompleted;
        int keepFailed = lock == null ? settings.keepFailed() : lock.keepFailed;
        long code = switch (outcome) {
            case JobOutcome.Done done -> finishAndFetch(jobId, token, now, "completed", Json.quote(done.summary()),
                    keepCompleted, false);
            case JobOutcome.Failed failed -> finishAndFetch(jobId, token, now, "failed", failed.error(), keepFailed, false);
            case JobOutcome.Delay delay -> reschedule(jobId, token, now, now + delayMillis("delay", delay.delay()), false,
                    "");
            case JobOutcome.Retry retry -> {
                if (job.isLastAttempt()) {
                    yield finishAndFetch(jobId, token, now, "failed", retry.error(), keepFailed, true);
                }
                Backoff backoff = lock == null ? settings.backoff() : lock.backoff;
                long wait = backoff.delayMillis(job.attemptsMade() + 1, ThreadLocalRandom.current()::nextDouble);
                yield reschedule(jobId, token, now, now + Math.min(wait, MAX_DELAY_MILLIS), true, retry.error());
            }
        };
        if (code != 0) {
            throw new IllegalStateException(refusal(job.jobId(), code));
        }
    }

    /** Completes or fails the job and, while this instance takes jobs and has room, takes the next one ahead. */
    private long finishAndFetch(String jobId, String token, long now, String state, String value, int keep,
            boolean exhausted) {
        boolean fetch = settings.fetchNext() && !closed.get() && fetchedCount.get() < settings.concurrency();
        Settled settled = finishScript(jobId, token, now, state, value, keep, exhausted, fetch);
        if (settled.next != null) {
            Taken taken = accept(settled.next, settled.nextToken);
            if (taken.job != null) {
                fetched.add(taken.job);
                fetchedCount.incrementAndGet();
                if (closed.get()) {
                    // Closed meanwhile: nobody will take it from here.
                    giveBackFetched();
                }
            }
        }
        return settled.code;
    }

    private Settled finishScript(String jobId, String token, long now, String state, String value, int keep,
            boolean exhausted, boolean fetchNext) {
        String nextToken = fetchNext ? nextToken() : "";
        List<String> args = List.of(keys.prefix(), jobId, token, Long.toString(now), state, value,
                Integer.toString(keep), Integer.toString(settings.maxLenEvents()), exhausted ? "1" : "0", "[]",
                fetchNext ? "1" : "0", nextToken, Long.toString(settings.lockDuration().toMillis()), settings.workerName());
        List<String> scriptKeys = state.equals("completed") ? completeKeys : failKeys;
        List<?> reply = (List<?>) withReconnect(settings.lockDuration(), () -> batcher.run(FINISH, scriptKeys, args));
        return new Settled(asLong(reply.get(0)), reply.size() > 1 ? (List<?>) reply.get(1) : null, nextToken);
    }

    /** Gives every job fetched ahead back to {@code wait}, at the end that runs next. */
    private void giveBackFetched() {
        DistributionJob job;
        while ((job = fetched.poll()) != null) {
            fetchedCount.decrementAndGet();
            Held lock = held.get(job.jobId());
            try {
                RELEASE.run(redis, releaseKeys, List.of(keys.prefix(), job.jobId(), job.lockToken(),
                        Integer.toString(settings.maxLenEvents())));
            } catch (RuntimeException e) {
                // Its lock lapses, and a stalled check gives it back instead.
                LOG.log(Level.WARNING, "Could not give back job " + job.jobId() + ": " + e);
            } finally {
                if (lock != null && lock.token.equals(job.lockToken())) {
                    held.remove(job.jobId(), lock);
                }
            }
        }
    }

    private long reschedule(String jobId, String token, long now, long due, boolean useAttempt, String reason) {
        List<String> args = List.of(keys.prefix(), jobId, token, Long.toString(now), Long.toString(due),
                useAttempt ? "1" : "0", reason, "[]", Integer.toString(settings.maxLenEvents()));
        return asLong(withReconnect(settings.lockDuration(), () -> RESCHEDULE.run(redis, rescheduleKeys, args)));
    }

    private static String refusal(String jobId, long code) {
        String why = switch ((int) code) {
            case -1 -> "it no longer exists (removed)";
            case -2 -> "its lock is missing: it lapsed, so the job may be running elsewhere";
            case -6 -> "its lock is held by another worker, which took the job over";
            case -3 -> "it is not active";
            default -> "the script answered " + code;
        };
        return "Job " + jobId + " was not settled: " + why;
    }

    // ------------------------------------------------------------------------------------------ locks and stalled jobs

    private void renewLocksQuietly() {
        try {
            renewLocks();
        } catch (RuntimeException e) {
            // A missed renewal is harmless while the next one comes within the lock's life; the timer must go on.
            markDown(e);
        }
    }

    /** Renews the locks of every job this instance holds; forgets those it turns out to have lost. */
    void renewLocks() {
        if (held.isEmpty()) {
            return;
        }
        Map<String, Held> snapshot = Map.copyOf(held);
        List<String> args = new ArrayList<>(2 + 2 * snapshot.size());
        args.add(keys.prefix());
        args.add(Long.toString(settings.lockDuration().toMillis()));
        snapshot.forEach((jobId, lock) -> {
            args.add(jobId);
            args.add(lock.token);
        });
        List<?> lost = (List<?>) EXTEND.run(redis, extendKeys, args);
        markUp();
        for (Object id : lost) {
            String jobId = asString(id);
            if (held.remove(jobId, snapshot.get(jobId))) {
                LOG.log(Level.WARNING, "Lost the lock of job {0}; another worker may run it", jobId);
            }
        }
    }

    private void checkStalledQuietly() {
        try {
            checkStalled(false);
        } catch (RuntimeException e) {
            markDown(e);
        }
    }

    /**
     * Runs the stalled-job check: moves back to {@code wait} the active jobs that were already suspect at the previous check
     * and have no lock, then marks every active job suspect. Runs on a timer; tests call it to skip waiting.
     *
     * @param force run even when any worker ran a check within the last {@code stalledInterval}
     * @return the ids moved back to {@code wait}
     */
    List<String> checkStalled(boolean force) {
        List<String> args = List.of(keys.prefix(), Integer.toString(settings.maxStalledCount()),
                Long.toString(clock.millis()), Long.toString(settings.stalledInterval().toMillis()),
                Integer.toString(settings.maxLenEvents()), force ? "1" : "0");
        List<?> moved = (List<?>) STALLED.run(redis, stalledKeys, args);
        markUp();
        List<String> ids = moved.stream().map(RedisDistributionQueue::asString).toList();
        if (!ids.isEmpty()) {
            LOG.log(Level.WARNING, "Moved {0} stalled job(s) back to wait: {1}", ids.size(), ids);
        }
        return ids;
    }

    // ---------------------------------------------------------------------------------------------------- admin, state

    /** Pauses the queue for every worker, Node's too: jobs stay in {@code wait}, none is handed out. Idempotent. */
    public void pause() {
        ensureOpen();
        withReconnect(COMMAND_RETRY_BUDGET,
                () -> PAUSE.run(redis, pauseKeys, List.of("pause", Integer.toString(settings.maxLenEvents()))));
    }

    /** Resumes a paused queue and wakes idle workers. Idempotent. */
    public void resume() {
        ensureOpen();
        withReconnect(COMMAND_RETRY_BUDGET,
                () -> PAUSE.run(redis, pauseKeys, List.of("resume", Integer.toString(settings.maxLenEvents()))));
    }

    /** The number of jobs in each state, read atomically. */
    public QueueCounts counts() {
        ensureOpen();
        List<?> reply = (List<?>) withReconnect(COMMAND_RETRY_BUDGET, () -> COUNTS.run(redis, countKeys, List.of()));
        return new QueueCounts(asLong(reply.get(0)), asLong(reply.get(1)), asLong(reply.get(2)), asLong(reply.get(3)),
                asLong(reply.get(4)), asLong(reply.get(5)), asLong(reply.get(6)) == 1);
    }

    /**
     * Stops taking jobs: waiting {@link #take} calls return empty, the stalled check and lock renewal stop. Jobs still held
     * can be finished for a while (their locks last up to {@code lockDuration} more); the connections close when the last
     * of them is finished, or after {@code lockDuration}. A held job never finished goes back to {@code wait} through
     * another worker's stalled check. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Stop renewing: a job abandoned now must lapse so another worker can recover it.
        timers.shutdownNow();
        Jedis connection = blocking;
        if (connection != null) {
            // Wakes a thread blocked in BZPOPMIN: its socket closes under it.
            connection.close();
        }
        giveBackFetched();
        if (held.isEmpty()) {
            release();
        } else {
            Thread.ofPlatform().daemon().name("redis-queue-" + settings.queueName() + "-close").start(() -> {
                try {
                    long until = System.nanoTime() + settings.lockDuration().toNanos();
                    while (!held.isEmpty() && System.nanoTime() < until) {
                        TimeUnit.MILLISECONDS.sleep(50);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    release();
                }
            });
        }
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        timers.shutdownNow();
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

    // --------------------------------------------------------------------------------------------------------- helpers

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the queue " + keys.prefix() + " is closed");
        }
    }

    /** Runs {@code command}, retrying while Redis is unreachable, for at most {@code budget}. */
    private <T> T withReconnect(Duration budget, Supplier<T> command) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pause = 50;
        while (true) {
            try {
                T result = command.get();
                markUp();
                return result;
            } catch (JedisConnectionException e) {
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
                pause = Math.min(1000, pause * 2);
            }
        }
    }

    private void markDown(RuntimeException e) {
        if (redisDown.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "Redis queue " + keys.prefix() + " unreachable, retrying: " + e);
        }
    }

    private void markUp() {
        if (redisDown.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "Redis queue {0} reachable again", keys.prefix());
        }
    }

    private static long delayMillis(String name, Duration delay) {
        Require.notNull(name, delay);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + delay);
        }
        return delay.compareTo(Duration.ofMillis(MAX_DELAY_MILLIS)) > 0 ? MAX_DELAY_MILLIS : delay.toMillis();
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static int intOr(String text, int fallback) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String asString(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? "" : value.toString();
    }

    private static long asLong(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        return Long.parseLong(asString(value));
    }

    /** A lock this instance holds, with what it needs to settle the job as the job's own options say. */
    private record Held(String token, Backoff backoff, int keepCompleted, int keepFailed) {
    }

    /** What the finish script answered: its code, and the next job's take reply when one was fetched. */
    private record Settled(long code, List<?> next, String nextToken) {
    }

    /** The result of one take step. */
    private record Taken(DistributionJob job, long nextDue, boolean retryNow) {
        static Taken of(DistributionJob job) {
            return new Taken(job, -1, false);
        }

        static Taken none(long nextDue) {
            return new Taken(null, nextDue, false);
        }

        static Taken again() {
            return new Taken(null, -1, true);
        }
    }

    /** The KEYS of each script, in the order the script's header lists them. */
    private static final class KeyLists {
        final List<String> add;
        final List<String> take;
        final List<String> complete;
        final List<String> fail;
        final List<String> reschedule;
        final List<String> stalled;
        final List<String> pause;
        final List<String> counts;

        KeyLists(QueueKeys k) {
            add = List.of(k.waitList(), k.meta(), k.delayed(), k.marker(), k.events());
            take = List.of(k.waitList(), k.active(), k.prioritized(), k.pc(), k.delayed(), k.marker(), k.meta(), k.events());
            complete = concat(take, k.completed());
            fail = concat(take, k.failed());
            reschedule = List.of(k.active(), k.delayed(), k.waitList(), k.prioritized(), k.pc(), k.marker(), k.meta(),
                    k.events(), k.stalled());
            stalled = List.of(k.stalled(), k.waitList(), k.active(), k.stalledCheck(), k.meta(), k.marker(), k.events());
            pause = List.of(k.meta(), k.marker(), k.events(), k.waitList(), k.paused(), k.delayed(), k.prioritized());
            counts = List.of(k.waitList(), k.paused(), k.active(), k.delayed(), k.prioritized(), k.completed(), k.failed(),
                    k.meta());
        }

        private static List<String> concat(List<String> head, String... tail) {
            List<String> all = new ArrayList<>(head);
            all.addAll(List.of(tail));
            return List.copyOf(all);
        }
    }
}
