package dev.basenft.adapter.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A database URL as operators write it — {@code postgres://user:password@host:5432/db?sslmode=require} (libpq's form, used
 * by DATABASE_URL conventions), {@code postgresql://…}, or a {@code jdbc:postgresql://…} URL — turned into what the JDBC
 * driver wants: a JDBC URL without credentials, plus user and password. Error messages never repeat the password.
 *
 * @param jdbcUrl {@code jdbc:postgresql://…}; never null
 * @param user empty when the URL names none (the driver then uses its defaults)
 * @param password empty when the URL names none
 */
record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    DatabaseUrl {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException("user and password must not be null (use Optional.empty())");
        }
    }

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException naming what is wrong (scheme, host), with any password masked
     */
    static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL must not be blank");
        }
        String trimmed = url.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, Optional.empty(), Optional.empty());
        }
        if (!trimmed.startsWith("postgres://") && !trimmed.startsWith("postgresql://")) {
            throw new IllegalArgumentException("database URL must start with postgres://, postgresql:// or "
                    + "jdbc:postgresql://, got '" + masked(trimmed) + "'");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database URL is malformed (" + e.getReason() + "): '" + masked(trimmed)
                    + "'; percent-encode special characters in the user and password");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("database URL names no host: '" + masked(trimmed) + "'");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() != -1) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        jdbc.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon))).filter(s -> !s.isEmpty());
            password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /** {@code url} with the password of its user-info replaced by {@code ***}, fit for logs and messages. */
    static String masked(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url.replaceAll("(?i)(password=)[^&]*", "$1***");
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String shownUser = colon < 0 ? userInfo : userInfo.substring(0, colon) + ":***";
        return url.substring(0, scheme + 3) + shownUser + url.substring(at);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + masked(jdbcUrl) + ", user=" + user.orElse("(default)") + "]";
    }
}
