package dev.basenft.core.service;

/**
 * Decides whether the process crashes around a port call. The crashing port wrappers call it with the operation's name
 * (such as {@code chain.broadcast}) before delegating and again after the delegate returned; throwing
 * {@link SimulatedCrash} at {@link Phase#AFTER} models a crash once the call took effect but before its caller saw the
 * answer.
 */
@FunctionalInterface
interface CrashInjector {

    /** Never crashes. */
    CrashInjector NONE = (operation, phase) -> {
    };

    /** Before or after the wrapped call. */
    enum Phase {
        BEFORE, AFTER
    }

    /** Throws {@link SimulatedCrash} to crash here; returns to carry on. */
    void at(String operation, Phase phase);

    /** Crashes once, at {@code phase} of the first call of {@code operation}; never again. */
    static CrashInjector once(String operation, Phase phase) {
        boolean[] fired = new boolean[1];
        return (op, ph) -> {
            if (!fired[0] && op.equals(operation) && ph == phase) {
                fired[0] = true;
                throw new SimulatedCrash(ph.name().toLowerCase(java.util.Locale.ROOT) + " " + op);
            }
        };
    }
}
