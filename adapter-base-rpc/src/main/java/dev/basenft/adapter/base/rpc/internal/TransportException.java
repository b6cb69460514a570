package dev.basenft.adapter.base.rpc.internal;

/** No endpoint gave a usable answer in one attempt (timeouts, refused or reset connections, HTTP 5xx/429, rate limits). */
public final class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    /**
     * @param retryable false when every endpoint failed in a way time will not mend (HTTP 401, 403, 404: a wrong URL or
     *        API key), so another attempt would only delay the report
     */
    TransportException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
