package dev.basenft.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from environment variables, collecting every problem instead of stopping at the first. The runbook's
 * {@code NEXT_PUBLIC_*} names and {@code NODE_ENV} are accepted as aliases of ours. Not thread-safe: one per parse.
 */
final class Environment {

    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();

    Environment(Map<String, String> variables) {
        this.variables = Objects.requireNonNull(variables, "variables");
    }

    /** The first of {@code names} that is set and not blank, with the name it came from. */
    Optional<Named> lookup(String... names) {
        for (String name : names) {
            String value = variables.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(new Named(name, value.strip()));
            }
        }
        return Optional.empty();
    }

    String text(String name, String fallback, String... aliases) {
        return lookup(names(name, aliases)).map(Named::value).orElse(fallback);
    }

    Optional<String> optionalText(String name, String... aliases) {
        return lookup(names(name, aliases)).map(Named::value);
    }

    /** A required value; records a problem and returns empty when missing. */
    Optional<String> required(String name, String why, String... aliases) {
        Optional<Named> found = lookup(names(name, aliases));
        if (found.isEmpty()) {
            problems.add(name + " is required: " + why);
        }
        return found.map(Named::value);
    }

    <T> Optional<T> parsed(String name, T fallback, Function<String, T> parser, String expected, String... aliases) {
        Optional<Named> found = lookup(names(name, aliases));
        if (found.isEmpty()) {
            return Optional.ofNullable(fallback);
        }
        try {
            return Optional.of(parser.apply(found.get().value()));
        } catch (RuntimeException e) {
            problems.add(found.get().name() + " must be " + expected + ", got '" + found.get().value() + "'"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            return Optional.empty();
        }
    }

    int integer(String name, int fallback, int min, int max, String... aliases) {
        return parsed(name, fallback, text -> {
            long value = wholeNumber(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return (int) value;
        }, "a whole number from " + min + " to " + max, aliases).orElse(fallback);
    }

    /**
     * Parses ASCII digits only: {@link Long#parseLong} alone would also take a sign and Arabic-Indic or fullwidth digits,
     * which no operator means to type into a setting.
     */
    static long wholeNumber(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a whole number");
        }
        return Long.parseLong(text);
    }

    boolean flag(String name, boolean fallback, String... aliases) {
        return parsed(name, fallback, text -> switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        }, "true or false", aliases).orElse(fallback);
    }

    /**
     * A secret given directly or as a file path ({@code NAME_FILE}); the value is never put in a problem message.
     */
    Optional<String> secret(String name, String why) {
        Optional<Named> direct = lookup(name);
        Optional<Named> file = lookup(name + "_FILE");
        if (direct.isPresent() && file.isPresent()) {
            problems.add("set only one of " + name + " and " + name + "_FILE");
            return Optional.empty();
        }
        if (file.isPresent()) {
            try {
                String content = Files.readString(Path.of(file.get().value())).strip();
                if (content.isEmpty()) {
                    problems.add(name + "_FILE points to an empty file: " + file.get().value());
                    return Optional.empty();
                }
                return Optional.of(content);
            } catch (IOException | RuntimeException e) {
                problems.add(name + "_FILE cannot be read: " + file.get().value() + " (" + e.getClass().getSimpleName() + ")");
                return Optional.empty();
            }
        }
        if (direct.isEmpty()) {
            problems.add(name + " (or " + name + "_FILE) is required: " + why);
        }
        return direct.map(Named::value);
    }

    void problem(String message) {
        problems.add(message);
    }

    List<String> problems() {
        return problems;
    }

    private static String[] names(String name, String... aliases) {
        String[] all = new String[aliases.length + 1];
        all[0] = name;
        System.arraycopy(aliases, 0, all, 1, aliases.length);
        return all;
    }

    record Named(String name, String value) {
    }
}
