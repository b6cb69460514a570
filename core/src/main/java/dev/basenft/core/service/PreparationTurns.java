package dev.basenft.core.service;

import dev.basenft.core.model.Require;
import java.util.concurrent.Semaphore;

/**
 * How many batches one worker process prepares for sending at once: everything from the batch's first read through its
 * claim, quote and write-ahead to its broadcast. A batch waiting for its receipt, which is most of a batch's time, holds
 * no turn.
 *
 * <p>Why: a worker runs a thread per batch it may have in flight, and at the start of a distribution every one of them
 * takes a job at once. With all of them preparing, the few batches the next block can take competed for the two cores
 * with a hundred that could not be sent before it anyway, and so did the thread holding the wallet's turn to sign: a
 * signature took 10 to 70 ms instead of under one, and two worker processes on one wallet, twice the threads, filled
 * the first block later than one (docs/benchmarks.md, Stop 30). Turns are fair, so batches are prepared in the order
 * their jobs were taken, which is the queue's order.
 *
 * <p>Thread-safe. A {@link Turn} belongs to the thread that took it.
 */
final class PreparationTurns {

    private final int atOnce;
    private final Semaphore turns;

    /**
     * @param atOnce batches prepared at once; 1 or more
     */
    PreparationTurns(int atOnce) {
        Require.between("atOnce", atOnce, 1, 10_000);
        this.atOnce = atOnce;
        this.turns = new Semaphore(atOnce, true);
    }

    /**
     * The turns for {@code settings}: half a block's worth of batches, as the chain sizing counts a block (its in-flight
     * cap is {@link dev.basenft.core.planning.ChainCapacity#BLOCKS_IN_FLIGHT} blocks' worth), and at least two. Half, not
     * a whole block: two worker processes on a wallet then prepare a block's worth between them, and with a whole block
     * each, two cold workers ended one block after one worker in three runs of four; with 16 or fewer each, in none of
     * seven (docs/benchmarks.md, Stop 30). One process still prepares a block's worth within the block time many times over.
     */
    static PreparationTurns forSettings(DistributionSettings settings) {
        int halfABlock = Math.ceilDiv(settings.maxInFlight(), 2 * dev.basenft.core.planning.ChainCapacity.BLOCKS_IN_FLIGHT);
        return new PreparationTurns(Math.max(2, halfABlock));
    }

    /** How many batches are prepared at once. */
    int atOnce() {
        return atOnce;
    }

    /** Waits for a turn (not interruptibly: turns are short, and every one is given back). */
    Turn take() {
        turns.acquireUninterruptibly();
        return new Turn();
    }

    /** Turns free now (for tests). */
    int free() {
        return turns.availablePermits();
    }

    /** One batch's turn, given back once by {@link #close()}, however often it is called. Not thread-safe. */
    final class Turn implements AutoCloseable {
        private boolean held = true;

        private Turn() {
        }

        @Override
        public void close() {
            if (held) {
                held = false;
                turns.release();
            }
        }
    }
}
