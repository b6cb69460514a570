package dev.basenft.core.model;

import java.time.Duration;

/**
 * The argument checks of every module: each names the parameter at fault, in the message and as
 * {@link InvalidArgumentException#argument()}.
 */
public final class Require {

    private Require() {
    }

    /** Returns {@code value}, or throws naming {@code name} when it is null. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new InvalidArgumentException(name, name + " must not be null");
        }
        return value;
    }

    /** Returns {@code value} stripped, or throws naming {@code name} when it is null or its length is outside the bounds. */
    public static String text(String name, String value, int minLength, int maxLength) {
        notNull(name, value);
        String stripped = value.strip();
        if (stripped.length() < minLength) {
            throw new InvalidArgumentException(name, minLength == 1 ? name + " must not be blank"
                    : name + " must have at least " + minLength + " characters");
        }
        if (stripped.length() > maxLength) {
            throw new InvalidArgumentException(name, name + " must have at most " + maxLength + " characters, got "
                    + stripped.length());
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new InvalidArgumentException(name, name + " must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + (i + 1) + ")");
            }
        }
        return stripped;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is outside {@code [min, max]}. */
    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidArgumentException(name, name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is outside {@code [min, max]}. */
    public static long between(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidArgumentException(name, name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is below {@code min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new InvalidArgumentException(name, name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is not positive. */
    public static long positive(String name, long value) {
        if (value <= 0) {
            throw new InvalidArgumentException(name, name + " must be positive, got " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is null, zero or negative. */
    public static Duration positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidArgumentException(name, name + " must be a positive duration, got " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is null or outside {@code [min, max]}. */
    public static Duration between(String name, Duration value, Duration min, Duration max) {
        notNull(name, value);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidArgumentException(name, name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
