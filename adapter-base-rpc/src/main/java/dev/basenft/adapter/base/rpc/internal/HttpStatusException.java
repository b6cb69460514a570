package dev.basenft.adapter.base.rpc.internal;

import java.io.IOException;

/** A node answered HTTP with a status other than 2xx and no JSON-RPC body we could use. */
public final class HttpStatusException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpStatusException(int status, String endpoint) {
        super("HTTP " + status + " from " + endpoint);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 429 (rate limited) and 5xx (server or gateway trouble) may pass; any other status will not change on retry. */
    public boolean isTransient() {
        return status == 429 || status >= 500;
    }
}
