package dev.basenft.adapter.base.rpc.internal;

/** No endpoint gave a usable answer in one attempt (timeouts, refused or reset connections, HTTP 5xx/429, rate limits). */
final class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
