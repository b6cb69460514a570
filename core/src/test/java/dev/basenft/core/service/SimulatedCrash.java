package dev.basenft.core.service;

/**
 * The process dies here. An {@link Error}, so no {@code catch (RuntimeException)} in the code under test can swallow it:
 * whatever was committed before it stays, whatever came after never happens.
 */
final class SimulatedCrash extends Error {

    private static final long serialVersionUID = 1L;

    SimulatedCrash(String where) {
        super("simulated crash " + where);
    }
}
