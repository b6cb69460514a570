package dev.basenft.app.e2e;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes anvil mine a block every interval by asking for one ({@code evm_mine}), in place of anvil's own interval mining
 * ({@code --block-time}), for the runs that grow one collection to a million tokens.
 *
 * <p>Why not {@code --block-time 2}: anvil 1.7.1 raises the number of block states it keeps in memory to 1,500 whenever
 * its block time is 2 s or less ({@code InMemoryBlockStates::update_interval_mine_block_time}, also called by
 * {@code evm_setIntervalMining}), over the bound {@code --prune-history} set, and with history pruned it never lowers it
 * again. Each kept state is a whole copy of the chain's state, so anvil's memory grows with the collection times the
 * number of blocks: it passed 17 GB short of 900,000 tokens (docs/benchmarks.md, Stop 25). {@code evm_mine} takes the
 * pool's ready transactions through the same miner, up to the block gas limit, and leaves that bound alone.
 *
 * <p>Start anvil without {@code --block-time} (it then mines each transaction at once, so the contracts deploy at once);
 * {@link #start} switches that off. A tick waits for the block before it to be mined, so when anvil takes longer than the
 * interval to mine one (a state of a million tokens), blocks come as fast as anvil makes them. {@link #close} may be
 * called more than once.
 *
 * <p>{@link #awaitNextBlock} lets a run start its measured work just after a block: two runs compared side by side
 * then both have a whole interval before their first block, instead of 0 to 2 s depending on where each one's clock
 * stood when it started.
 */
final class BlockClock implements AutoCloseable {

    private final ScheduledExecutorService timer;
    /** Completed once the block asked for after it was put here is mined. */
    private final AtomicReference<CompletableFuture<Void>> nextBlock = new AtomicReference<>(new CompletableFuture<>());

    private BlockClock(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** One tick: the waiters that came before it are answered once its block is mined, or with the next tick's. */
    private void tick(BenchChain chain) {
        CompletableFuture<Void> waiters = nextBlock.getAndSet(new CompletableFuture<>());
        try {
            chain.call("evm_mine");
            waiters.complete(null);
        } catch (RuntimeException e) {
            // anvil too busy to answer in time: the next tick mines the block (an exception would end the schedule)
            nextBlock.get().whenComplete((done, failed) -> waiters.complete(null));
        }
    }

    /**
     * Returns just after the next block this clock asks for is mined.
     *
     * @throws IllegalStateException when no block comes within a minute (the clock closed, or anvil stopped)
     */
    void awaitNextBlock() throws InterruptedException {
        try {
            nextBlock.get().get(1, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no block was mined within a minute", e);
        }
    }

    /** Stops anvil's mining of each transaction as it comes and mines a block every {@code interval} from now on. */
    static BlockClock start(BenchChain chain, Duration interval) {
        chain.call("evm_setAutomine", false);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-block-clock").factory());
        BlockClock clock = new BlockClock(timer);
        timer.scheduleAtFixedRate(() -> clock.tick(chain), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return clock;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
