package dev.basenft.adapter.base.rpc.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;

/**
 * Which failures are the transport's (worth another attempt or another node, and counted by the circuit breaker) and which
 * are answers. Stateless.
 */
final class TransportErrors {

    /**
     * JSON-RPC error texts that providers use for rate limits, overload and lagging backends. They arrive with HTTP 200, so
     * only the text tells them apart from a real answer; a revert or a refused transaction never contains these words.
     */
    private static final List<String> TRANSIENT_RPC_TEXT = List.of("rate limit", "too many requests", "request limit",
            "limit exceeded", "exceeded the rate", "timeout", "timed out",
            // A node behind the block a read is pinned to (geth "header not found", reth "block not found", anvil
            // "BlockOutOfRangeError"): another endpoint may have it.
            "header not found", "block not found", "unknown block", "blockoutofrange", "service unavailable",
            "temporarily unavailable", "try again later", "upstream");

    /** EIP-1474's "limit exceeded", used by several providers for per-second quotas. */
    private static final int LIMIT_EXCEEDED = -32005;

    private TransportErrors() {
    }

    static boolean isTransientRpcError(int code, String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (text.contains("revert")) {
            // A revert reason is the contract's free text ("…timeout…"): an answer, whatever words it uses.
            return false;
        }
        if (code == LIMIT_EXCEEDED || code == 429) {
            return true;
        }
        return TRANSIENT_RPC_TEXT.stream().anyMatch(text::contains);
    }

    /** A short description of a transport failure, without URLs (the caller names the endpoint, redacted). */
    static String describe(Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (failure instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof HttpStatusException status) {
            return "HTTP " + status.status();
        }
        if (failure instanceof InterruptedIOException) {
            return "interrupted";
        }
        if (failure instanceof IOException) {
            String message = failure.getMessage();
            return message == null ? failure.getClass().getSimpleName() : "connection failed (" + message + ")";
        }
        return failure.getClass().getSimpleName();
    }
}
