package dev.basenft.core.service;

import dev.basenft.core.model.Require;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.port.in.ProcessBatchUseCase;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.port.out.TransactionLedger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The worker loop (docs/architecture.md#the-worker): takes jobs from the queue and processes their batches on {@code
 * concurrency} threads, so several batches can be in flight on consecutive nonces. Unexpected errors are logged as
 * {@code Worker error: …} and never end the loop. Beside the job loops it may run the {@link QueueSweep} and the
 * {@link NonceHealth} check, each on a thread of its own. {@link #stop} stops taking jobs and lets the ones in
 * flight finish.
 *
 * <p>Thread-safe: {@link #start} and {@link #stop} may be called from any thread, each once.
 */
public final class DistributionWorker {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");
    private static final Duration TAKE_WAIT = Duration.ofSeconds(1);
    /**
     * Platform threads, not virtual ones. Virtual threads share a carrier per core, and a virtual thread loading a class is
     * pinned to its carrier: with 96 loops starting at once on two cores (the concurrency sized for 400M-gas blocks), two
     * pinned class loaders waited for a lock held by an unmounted virtual thread that had no carrier left to finish on,
     * and the worker took no job (seen in bin/bench: a thread dump showed both carriers blocked and every loop waiting).
     * A few hundred platform threads cost some stack each and cannot deadlock that way. Daemon threads, as virtual ones
     * are: {@link #stop} ends them. A new builder each time: a builder is not safe to share between threads.
     */
    private static Thread startLoop(String name, Runnable loop) {
        return Thread.ofPlatform().daemon(true).name(name).start(loop);
    }

    private final DistributionQueue queue;
    private final ProcessBatchUseCase processor;
    private final TransactionLedger ledger;
    private final Chain chain;
    private final int concurrency;
    private final QueueSweep sweep;
    private final Duration sweepEvery;
    private final NonceHealth nonceHealth;
    private final Duration nonceCheckEvery;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** Whether the nonce counter was resynced from the chain; no job is taken before. */
    private volatile boolean resynced;

    /**
     * @param concurrency worker threads, 1 or more
     */
    public DistributionWorker(DistributionQueue queue, ProcessBatchUseCase processor, TransactionLedger ledger, Chain chain,
            int concurrency) {
        this(queue, processor, ledger, chain, concurrency, null, null);
    }

    /**
     * A worker that also runs {@code sweep} at start and every {@code sweepEvery}, so open batches whose jobs the queue lost
     * or failed are queued again.
     *
     * @param concurrency worker threads, 1 or more
     * @param sweep the queue healing; null for none
     * @param sweepEvery how often to sweep; positive when {@code sweep} is given
     */
    public DistributionWorker(DistributionQueue queue, ProcessBatchUseCase processor, TransactionLedger ledger, Chain chain,
            int concurrency, QueueSweep sweep, Duration sweepEvery) {
        this(queue, processor, ledger, chain, concurrency, sweep, sweepEvery, null, null);
    }

    /**
     * A worker that also runs {@code sweep} and the {@code nonceHealth} check, each at start and then every interval.
     *
     * @param concurrency worker threads, 1 or more
     * @param sweep the queue healing; null for none
     * @param sweepEvery how often to sweep; positive when {@code sweep} is given
     * @param nonceHealth the nonce-health check, which fills nonce gaps; null for none
     * @param nonceCheckEvery how often to check; positive when {@code nonceHealth} is given
     */
    public DistributionWorker(DistributionQueue queue, ProcessBatchUseCase processor, TransactionLedger ledger, Chain chain,
            int concurrency, QueueSweep sweep, Duration sweepEvery, NonceHealth nonceHealth, Duration nonceCheckEvery) {
        if (sweep != null) {
            Require.positive("sweepEvery", sweepEvery);
        }
        if (nonceHealth != null) {
            Require.positive("nonceCheckEvery", nonceCheckEvery);
        }
        this.sweep = sweep;
        this.sweepEvery = sweepEvery;
        this.nonceHealth = nonceHealth;
        this.nonceCheckEvery = nonceCheckEvery;
        this.queue = Objects.requireNonNull(queue, "queue");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.concurrency = Require.atLeast("concurrency", concurrency, 1);
    }

    /**
     * Resynchronises the minter's nonce with the chain, then starts the loops. When no RPC endpoint answers, it starts
     * anyway and takes no job until one does: an outage is waited out, not a reason to exit.
     */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("worker already started");
        }
        running = true;
        try {
            resync();
        } catch (ChainUnavailableException e) {
            LOG.log(Level.WARNING, "[worker] No RPC endpoint answers ({0}); taking no job until one does", e.getMessage());
        }
        for (int i = 0; i < concurrency; i++) {
            threads.add(startLoop("distribution-worker-" + i, this::loop));
        }
        if (sweep != null) {
            threads.add(startLoop("queue-sweep", () -> periodically(sweep::run, sweepEvery,
                    "Queue sweep failed, will retry: ")));
        }
        if (nonceHealth != null) {
            // After the start-up resync (or, during an outage, whenever a node answers): the check compares with the chain.
            threads.add(startLoop("nonce-health", () -> periodically(nonceHealth::run, nonceCheckEvery,
                    "Nonce-health check failed, will retry: ")));
        }
    }

    /** Resyncs the nonce counter once; true when done (now or before). */
    private boolean ready() {
        if (resynced) {
            return true;
        }
        synchronized (this) {
            try {
                resync();
            } catch (ChainUnavailableException e) {
                return false;
            }
        }
        return true;
    }

    private void resync() {
        if (resynced) {
            return;
        }
        ledger.resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
        resynced = true;
        LOG.log(Level.INFO, "[worker] Distribution worker started: minter {0}, concurrency {1}", chain.minter(),
                Integer.toString(concurrency));
    }

    /**
     * Stops taking jobs and waits up to {@code grace} for in-flight batches to finish; a batch still running after that is
     * safe to abandon, because its signed transaction is in the ledger and its job returns to the queue when its lock lapses.
     *
     * @return true when every loop ended within the grace period
     */
    public boolean stop(Duration grace) throws InterruptedException {
        synchronized (this) {
            if (!running) {
                return true;
            }
            LOG.log(Level.INFO, "[worker] Shutting down");
            running = false;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        boolean all = true;
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            all &= left > 0 && thread.join(Duration.ofNanos(left));
        }
        queue.close();
        LOG.log(Level.INFO, "[worker] Stopped{0}", all ? "" : " (some batches were still in flight; they resume elsewhere)");
        return all;
    }

    private void loop() {
        while (running) {
            DistributionJob job = null;
            try {
                if (!ready()) {
                    TimeUnit.MILLISECONDS.sleep(TAKE_WAIT.toMillis());
                    continue;
                }
                job = queue.take(TAKE_WAIT).orElse(null);
                if (job == null) {
                    continue;
                }
                BatchOutcome outcome = processor.process(
                        new ProcessBatchCommand(job.batchId(), job.attemptsMade(), job.maxAttempts()));
                queue.finish(job, JobOutcomes.of(outcome));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "Worker error: " + e, e);
                settleAfterError(job, e);
                pauseAfterError();
            }
        }
    }

    private void periodically(Runnable task, Duration every, String failure) {
        long next = System.nanoTime();
        while (running) {
            if (System.nanoTime() - next >= 0) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // Redis, PostgreSQL or the RPC down: the job loops report that already; try again next round.
                    LOG.log(Level.WARNING, "[worker] " + failure + e);
                }
                next = System.nanoTime() + every.toNanos();
            }
            try {
                // Short naps, so stop() need not wait a whole interval.
                TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, every.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void settleAfterError(DistributionJob job, Throwable error) {
        if (job == null) {
            return;
        }
        try {
            queue.finish(job, new JobOutcome.Retry("Worker error: " + error));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Worker error: could not settle job " + job.jobId() + ": " + e, e);
        }
    }

    /** A short pause so a persistent fault (database down) does not spin the loop. */
    private static void pauseAfterError() {
        try {
            TimeUnit.MILLISECONDS.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
