package dev.basenft.adapter.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the values Jedis decodes a script reply into (Long, String, byte[], List). Stateless and thread-safe.
 */
final class Replies {

    private Replies() {
    }

    /** The value as text: bytes as UTF-8, null as empty. */
    static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? "" : value.toString();
    }

    /** The value as a number: a Redis integer, or text holding one. */
    static long number(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        return Long.parseLong(text(value));
    }

    /** A list of ids (a Lua table of strings) as text. */
    static List<String> texts(Object value) {
        return ((List<?>) value).stream().map(Replies::text).toList();
    }

    /** {@code text} as an int, or {@code fallback} when it is empty or not a number (a Node job's options said nothing). */
    static int intOr(String text, int fallback) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
