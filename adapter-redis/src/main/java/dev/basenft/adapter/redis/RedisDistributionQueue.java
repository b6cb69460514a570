package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.internal.QueueKeys;
import dev.basenft.core.model.BatchRef;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.JobOutcome;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Core's {@link DistributionQueue} on Redis, in BullMQ's key layout, so a Node {@code bullmq} producer or worker and this one
 * share one queue, and {@code redis-cli LLEN bull:distribution:wait} / {@code …:active} mean what the runbook says.
 *
 * <p><b>Jobs.</b> A batch becomes job {@link BatchRef#jobId()} named {@value #JOB_NAME}, data
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
 * <p><b>Failures.</b> Commands that cannot reach Redis, or find it restarted and still loading its data ({@code LOADING}),
 * are retried with backoff (for up to {@code lockDuration} when finishing, a few seconds otherwise) before their exception
 * is thrown; {@link #take} treats such a Redis as "no job yet" and keeps trying until its wait is up.
 *
 * <p>This class is the one entry point; its parts, package-private, each do one job: {@link QueueConnection} (the pool, the
 * blocking connection, reconnecting), one typed class per script ({@link AddScript}, {@link TakeScript},
 * {@link FinishScript}, …: KEYS, ARGV and reply as the Lua header says, refusals as {@link Refusal}), {@link JobAdder},
 * {@link HeldJobs} (held locks, their renewal and the stalled check), {@link FetchedAhead}, {@link JobTaker} (the take loop)
 * and {@link JobSettler} (finishing).
 *
 * <p>Thread-safe: any number of threads may enqueue, take and finish at once. Arguments must not be null.
 */
public final class RedisDistributionQueue implements DistributionQueue, AutoCloseable {

    /** The BullMQ job name of every job this adapter adds. */
    public static final String JOB_NAME = "distribute";

    private static final Duration COMMAND_RETRY_BUDGET = Duration.ofSeconds(5);
    private static final String ADAPTER_VERSION = "base-nft-adapter-redis:1";

    private final RedisQueueSettings settings;
    private final QueueKeys keys;
    private final QueueConnection connection;
    private final JobAdder adder;
    private final PauseScript pause;
    private final CountsScript counts;
    private final HeldJobs held;
    private final FetchedAhead fetched;
    private final JobTaker taker;
    private final JobSettler settler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisDistributionQueue(RedisQueueSettings settings, InstantSource clock) {
        this.settings = settings;
        this.keys = QueueKeys.of(settings.keyPrefix());
        this.connection = new QueueConnection(settings, keys.prefix());
        this.adder = new JobAdder(clock, connection, COMMAND_RETRY_BUDGET, new JobJson(settings),
                new AddScript(keys, settings), new ReviveScript(keys, settings));
        this.pause = new PauseScript(keys, settings);
        this.counts = new CountsScript(keys);
        this.held = new HeldJobs(settings, clock, connection, new ExtendScript(keys, settings),
                new StalledScript(keys, settings));
        this.fetched = new FetchedAhead(settings.concurrency(), connection, new ReleaseScript(keys, settings), held);
        TakeScript take = new TakeScript(keys, settings);
        FinishScript finish = new FinishScript(keys, settings, take);
        this.taker = new JobTaker(settings, clock, connection, take, finish, held, fetched, keys.marker(), closed::get);
        this.settler = new JobSettler(settings, clock, connection, finish, new RescheduleScript(keys, settings), taker, held,
                fetched, closed::get);
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
            // BullMQ's Queue writes these too; written only where missing so a Node queue's own values win.
            queue.connection.commands().hsetnx(queue.keys.meta(), "opts.maxLenEvents",
                    Integer.toString(settings.maxLenEvents()));
            queue.connection.commands().hsetnx(queue.keys.meta(), "version", ADAPTER_VERSION);
            queue.held.startTimers();
        } catch (RuntimeException e) {
            queue.release();
            throw e;
        }
        return queue;
    }

    /** The settings this queue runs with. */
    public RedisQueueSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------------------------------------------------- adding

    /**
     * Adds the batch's job to run no earlier than {@code delay} from now, unless a job with its id exists.
     *
     * @param delay not negative; capped at a year
     * @return whether a job was added
     */
    public boolean enqueue(BatchRef batch, Duration delay) {
        Require.notNull("batch", batch);
        long millis = Delays.millis("delay", delay);
        ensureOpen();
        return adder.add(List.of(batch), millis) == 1;
    }

    /**
     * Adds the jobs of many batches in one round trip (a pipeline of one script per 1,000 jobs, so no script stalls
     * Redis), skipping those whose job exists (then writes a {@code duplicated} event). Each script is atomic; the
     * whole call is not, and running it again after a failure is safe.
     *
     * @param batches not null, no null elements
     * @return how many jobs were added
     */
    @Override
    public int enqueueAll(List<? extends BatchRef> batches) {
        Require.notNull("batches", batches);
        List<BatchRef> list = List.copyOf(batches);
        if (list.isEmpty()) {
            return 0;
        }
        ensureOpen();
        return adder.add(list, 0);
    }

    /** How many bulk-add pipelines this queue sent: one per {@link #enqueueAll} call while Redis answers. */
    long addPipelinesSent() {
        return connection.pipelinesSent();
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
    public int ensureQueued(List<? extends BatchRef> openBatches) {
        Require.notNull("openBatches", openBatches);
        ensureOpen();
        return adder.ensureQueued(openBatches);
    }

    // ------------------------------------------------------------------------------------------------ taking, finishing

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
        return taker.take(maxWait);
    }

    /**
     * Settles a job taken from this queue instance.
     *
     * @throws IllegalStateException when the job's lock is no longer this worker's (it lapsed, or another worker took the
     *     job over after a stall), when the job is not active or was removed: nothing is changed then
     * @throws redis.clients.jedis.exceptions.JedisException when Redis stayed unreachable (or loading) for a lock duration
     */
    @Override
    public void finish(DistributionJob job, JobOutcome outcome) {
        Require.notNull("job", job);
        Require.notNull("outcome", outcome);
        Optional<HeldJobs.Held> lock = held.lockOf(job);
        try {
            settler.settle(job, lock, outcome);
        } finally {
            lock.ifPresent(l -> held.forget(job.jobId(), l));
            if (closed.get() && held.isEmpty()) {
                release();
            }
        }
    }

    /**
     * Runs the stalled-job check now: moves back to {@code wait} the active jobs that were already suspect at the previous
     * check and have no lock, then marks every active job suspect. Runs on a timer; tests call it to skip waiting.
     *
     * @param force run even when any worker ran a check within the last {@code stalledInterval}
     * @return the ids moved back to {@code wait}
     */
    List<String> checkStalled(boolean force) {
        return held.checkStalled(force);
    }

    // ---------------------------------------------------------------------------------------------------- admin, state

    /** Pauses the queue for every worker, Node's too: jobs stay in {@code wait}, none is handed out. Idempotent. */
    public void pause() {
        ensureOpen();
        pause.run(connection.retrying(COMMAND_RETRY_BUDGET), true);
    }

    /** Resumes a paused queue and wakes idle workers. Idempotent. */
    public void resume() {
        ensureOpen();
        pause.run(connection.retrying(COMMAND_RETRY_BUDGET), false);
    }

    /**
     * The worker processes taking jobs from this queue now, by name: the connections named as bullmq names its workers'
     * (what {@code Queue.getWorkers()} lists in Node), read with {@code CLIENT LIST}. A worker shows once it has asked for
     * its first job. Names are as the connection carries them (characters Redis refuses in a name become {@code _}).
     *
     * @return the names, sorted; empty when no worker is connected
     */
    public List<String> workers() {
        ensureOpen();
        return connection.workerNames();
    }

    /** The number of jobs in each state, read atomically. */
    public QueueCounts counts() {
        ensureOpen();
        return counts.run(connection.retrying(COMMAND_RETRY_BUDGET));
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
        held.stopTimers();
        connection.wakeBlocked();
        fetched.giveBackAll();
        held.whenNoneHeld(settings.lockDuration(), this::release);
    }

    /** Closes the connections for good; both steps are idempotent, so a late finish and the close thread may both call it. */
    private void release() {
        held.stopTimers();
        connection.close();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the queue " + keys.prefix() + " is closed");
        }
    }
}
