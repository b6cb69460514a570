package dev.basenft.app;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Runs a shutdown action on SIGTERM or SIGINT, then lets {@code main} return so the process exits 0 (a plain shutdown hook
 * would end the process with 143). A shutdown hook still covers {@code System.exit} and signals the JVM handles itself.
 */
final class Signals {

    private Signals() {
    }

    static void onTerminate(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            // Signal handlers run on a JVM thread of their own; the action may block until the worker has parked its batches.
            Signal.handle(new Signal(name), signal -> once.run());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(once, "base-nft-shutdown"));
    }
}
