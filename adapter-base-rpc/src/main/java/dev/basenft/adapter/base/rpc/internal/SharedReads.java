package dev.basenft.adapter.base.rpc.internal;

import dev.basenft.core.model.ChainUnavailableException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One read of the node per key at a time: a thread that asks while another thread's read of the same key is on its way
 * waits for that read and takes its answer (or its failure) instead of sending its own. Nothing is kept once the read is
 * answered: the next caller reads afresh.
 *
 * <p>Why: at the start of a distribution a worker quotes up to a hundred batches at once, and each quote read the same
 * block for its fees and the same balance, a hundred requests that a busy node answered one after another (about 50 ms
 * each on two cores: docs/benchmarks.md, Stop 30). Only for reads where an answer sent a round trip before the caller
 * asked is as good as one sent after: fees and balances, which change with a block.
 *
 * <p>Thread-safe. Keys and reads must not be null.
 *
 * @param <K> what is read (a wallet, or one constant key for a read without arguments)
 * @param <V> the answer
 */
public final class SharedReads<K, V> {

    private final ConcurrentHashMap<K, CompletableFuture<V>> onTheirWay = new ConcurrentHashMap<>();

    /**
     * The answer of the read of {@code key} on its way, or else of {@code read}, run now in this thread.
     *
     * @throws RuntimeException what the read threw, in this thread or in the one whose read this thread waited for
     * @throws ChainUnavailableException when this thread is interrupted while it waits
     */
    public V read(K key, Supplier<V> read) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(read, "read");
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = onTheirWay.putIfAbsent(key, mine);
        if (theirs != null) {
            return answerOf(theirs, key);
        }
        try {
            V answer = read.get();
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            onTheirWay.remove(key, mine);
        }
    }

    private static <V> V answerOf(CompletableFuture<V> read, Object key) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw (Error) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainUnavailableException("interrupted while waiting for the read of " + key, e);
        }
    }
}
