package dev.basenft.core.service;

import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts the first broadcasts of this process's freshly signed transactions in nonce order.
 *
 * <p>Nonces are handed out in order under the ledger's lock, but the threads that got them race to the node afterwards,
 * so nonce 41 can arrive before 40. A node holds such a transaction back as not yet executable; anvil then left it out of
 * the next block about once in ten (seen on 30M-gas blocks with {@code bin/bench}: an empty block each time until the
 * receipt wait sent it again). So a thread about to broadcast nonce {@code n} first waits, briefly, until every lower
 * nonce this process signed has been sent.
 *
 * <p>A nonce is registered by {@link #signed} while the ledger's lock is held (inside the write-ahead), so registrations
 * come in nonce order. Waiting is bounded by {@code maxWait}: a thread that registered a nonce and then stalled delays the
 * ones above it by that much at most, once: a wait that runs out forgets the nonces below it. Only order is at stake here, never safety: a transaction sent out of
 * order is still the stored one. One wallet per process (the minter). Thread-safe.
 */
final class BroadcastOrder {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sentOne = lock.newCondition();
    /** Nonces signed by this process whose first broadcast has not been made (or given up) yet. */
    private final TreeSet<Long> unsent = new TreeSet<>();
    private final long maxWaitNanos;

    /**
     * @param maxWait how long a broadcast waits at most for the ones below it; positive
     */
    BroadcastOrder(Duration maxWait) {
        if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, got " + maxWait);
        }
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** Registers a nonce this process just signed; its first broadcast is still to come. */
    void signed(long nonce) {
        lock.lock();
        try {
            unsent.add(nonce);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no lower nonce of this process is still unsent, or {@code maxWait} has passed, or the thread is
     * interrupted (its interrupt flag is then set again).
     *
     * @return true when it was this nonce's turn, false when it stopped waiting for another reason
     */
    boolean awaitTurn(long nonce) {
        lock.lock();
        try {
            long left = maxWaitNanos;
            while (hasLower(nonce)) {
                if (left <= 0) {
                    // The lower ones had their wait: forget them, so a registration whose broadcast never came (a thread
                    // that died between signing and sending) costs one maxWait, not one per later broadcast.
                    unsent.headSet(nonce).clear();
                    sentOne.signalAll();
                    return false;
                }
                left = sentOne.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The first broadcast of {@code nonce} was made (whatever the node answered), or will never be: the ones above go. */
    void done(long nonce) {
        lock.lock();
        try {
            if (unsent.remove(nonce)) {
                sentOne.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many nonces wait for their first broadcast (for tests). */
    int unsentCount() {
        lock.lock();
        try {
            return unsent.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean hasLower(long nonce) {
        Long lowest = unsent.isEmpty() ? null : unsent.first();
        return lowest != null && lowest < nonce;
    }
}
