package dev.basenft.core.port.out;

import java.time.Duration;

/**
 * News of the chain's head: lets a receipt waiter look again as soon as a new block is there instead of sleeping a fixed
 * interval. A hint only: the waiter still reads receipts and depth from the {@link Chain}, so a late, missed or wrong
 * notice costs time, never correctness; and every wait is bounded, so a silent source never holds a waiter.
 *
 * <p>Implementations are safe for concurrent use; any number of threads may wait at once.
 */
public interface NewBlocks {

    /**
     * The newest block number this source has heard of, without a node call.
     *
     * @return the head, or -1 when nothing is known yet
     */
    long head();

    /**
     * Waits until a block above {@code seen} is known, or {@code atMost} has passed, whichever is first; returns at once
     * when such a block is known already.
     *
     * @param seen the newest block the caller has looked at; -1 for none
     * @param atMost the longest wait; positive, never null
     * @return the newest block known on return: above {@code seen} when a new block came, else at most {@code seen}
     * @throws dev.basenft.core.model.ChainUnavailableException when the waiting thread is interrupted (flag kept)
     */
    long awaitAbove(long seen, Duration atMost);
}
