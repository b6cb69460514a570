package dev.basenft.adapter.http.javalin.internal;

import java.util.List;
import java.util.Locale;

/** The parts of a {@code Content-Type} this API looks at: the base type and the charset. */
public record MediaType(String type, String charset) {

    /**
     * Parses a Content-Type header.
     *
     * @param header may be null (no body type sent)
     * @return the lower-case base type ({@code ""} when absent) and the charset (null when absent)
     */
    public static MediaType parse(String header) {
        if (header == null || header.isBlank()) {
            return new MediaType("", null);
        }
        String[] parts = header.split(";");
        String charset = null;
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                charset = pair[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return new MediaType(parts[0].strip().toLowerCase(Locale.ROOT), charset);
    }

    /**
     * Checks the type is one of {@code accepted} (an absent type counts as the first) and the charset, if any, is UTF-8.
     *
     * @return the accepted base type
     * @throws ProblemException 415 naming what is accepted
     */
    public String require(List<String> accepted) {
        String effective = type.isEmpty() ? accepted.get(0) : type;
        if (!accepted.contains(effective)) {
            throw Problem.of(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + type + "' is not accepted here; send "
                    + String.join(" or ", accepted)).exception();
        }
        if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8")) {
            throw Problem.of(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "charset '" + charset + "' is not accepted; send UTF-8")
                    .exception();
        }
        return effective;
    }
}
