package dev.basenft.core.model;

/** Argument checks that name the parameter at fault. */
public final class Require {

    private Require() {
    }

    /** Returns {@code value}, or throws naming {@code name} when it is null. */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Returns {@code value} stripped, or throws naming {@code name} when it is null or its length is outside the bounds. */
    public static String text(String name, String value, int minLength, int maxLength) {
        notNull(name, value);
        String stripped = value.strip();
        if (stripped.length() < minLength) {
            throw new IllegalArgumentException(minLength == 1 ? name + " must not be blank"
                    : name + " must have at least " + minLength + " characters");
        }
        if (stripped.length() > maxLength) {
            throw new IllegalArgumentException(name + " must have at most " + maxLength + " characters, got "
                    + stripped.length());
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new IllegalArgumentException(name + " must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at position " + (i + 1) + ")");
            }
        }
        return stripped;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is outside {@code [min, max]}. */
    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Returns {@code value}, or throws naming {@code name} when it is not positive. */
    public static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
