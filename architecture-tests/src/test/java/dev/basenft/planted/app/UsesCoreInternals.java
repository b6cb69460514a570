package dev.basenft.planted.app;

import dev.basenft.planted.core.internal.Helper;

/** Violation: reaches into core's internal package from outside core. */
public final class UsesCoreInternals {
    int value() {
        return Helper.help();
    }
}
