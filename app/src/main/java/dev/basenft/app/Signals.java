package dev.basenft.app;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call of ours instead of the JVM's default exit, so that {@code main} can stop the service
 * gracefully and exit 0 (the default would end the process with 143 or 130, in the middle of the shutdown hooks).
 */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on SIGTERM or SIGINT, on the JVM's signal thread; {@code action} should return quickly. */
    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> action.run());
        }
    }
}
