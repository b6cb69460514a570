package dev.basenft.planted.core.internal;

/** Core's internal helper. */
public final class Helper {
    public static int help() {
        return 1;
    }
}
