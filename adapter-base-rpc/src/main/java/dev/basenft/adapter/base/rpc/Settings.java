package dev.basenft.adapter.base.rpc;

import java.time.Duration;

/** Argument checks shared by the settings records; each names the parameter at fault. */
final class Settings {

    private Settings() {
    }

    static Duration positive(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
