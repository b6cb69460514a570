package dev.basenft.adapter.redis.internal;

/**
 * The little JSON the adapter writes (job data, options, return values): string quoting per RFC 8259. Reading is done by
 * the Lua scripts with Redis's built-in cjson, so the adapter needs no JSON library. Stateless and thread-safe.
 *
 * <p>Internal to the adapter: not an API.
 */
public final class Json {

    private Json() {
    }

    /** {@code text} as a JSON string literal, quotes included; {@code text} must not be null. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
