package dev.basenft.adapter.base.rpc.internal;

import java.net.URI;

/** Hides what may be secret in an RPC URL before it reaches a log line or a message. Stateless. */
public final class Redaction {

    private Redaction() {
    }

    /**
     * The URL reduced to scheme, host and port; a path, query or user info (where providers put API keys) shows as {@code …}.
     *
     * @param url may be null
     */
    public static String url(URI url) {
        if (url == null) {
            return "null";
        }
        if (url.getHost() == null) {
            return "<unparseable URL>";
        }
        StringBuilder out = new StringBuilder();
        out.append(url.getScheme()).append("://").append(url.getHost());
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        boolean hidden = url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
                || (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/"));
        if (hidden) {
            out.append("/…");
        }
        return out.toString();
    }
}
