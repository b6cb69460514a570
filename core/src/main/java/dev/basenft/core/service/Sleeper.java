package dev.basenft.core.service;

import dev.basenft.core.model.ChainUnavailableException;
import java.time.Duration;

/** Pauses between receipt polls; tests pass a simulated one that moves their clock. Implementations are thread-safe. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread; an interruption ends the wait as an RPC failure, with the interrupt flag kept. */
    Sleeper THREAD_SLEEP = duration -> {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainUnavailableException("interrupted while waiting for a receipt", e);
        }
    };

    /** @param duration not null, not negative */
    void sleep(Duration duration);
}
