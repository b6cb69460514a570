package dev.basenft.adapter.base.rpc;

import java.time.Duration;

/**
 * Told of every JSON-RPC request the gateway makes to one endpoint (each failover step and retry is its own request): the
 * application counts them as metrics. Implementations must be thread-safe, quick, and must not throw; a failure is
 * logged and ignored, never allowed to change the call.
 */
@FunctionalInterface
public interface RpcCallObserver {

    /** Ignores every call. */
    RpcCallObserver NONE = (endpoint, method, outcome, latency) -> {
    };

    /**
     * @param endpoint the endpoint, redacted to scheme, host and port (never an API key in the path); never null
     * @param method the JSON-RPC method, e.g. {@code eth_call}; never null
     * @param outcome how it ended; never null
     * @param latency how long the request took; never null
     */
    void called(String endpoint, String method, Outcome outcome, Duration latency);

    /** How one request to one endpoint ended. */
    enum Outcome {
        /** The node answered the request. */
        OK,
        /** The node answered with a JSON-RPC error (a revert, "nonce too low", or an overloaded node's error). */
        ERROR,
        /** No answer: a timeout, a refused connection, an HTTP error status. */
        TRANSPORT
    }
}
