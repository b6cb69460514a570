package dev.basenft.adapter.base.rpc.internal;

/**
 * A node answered the call with a JSON-RPC error that is about the request itself (a revert, a refused transaction), so
 * asking again or elsewhere gives the same answer. Callers turn it into a named {@code ChainFailure}.
 */
public final class JsonRpcErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int code;
    private final String rpcMessage;
    private final String data;

    public JsonRpcErrorException(String method, int code, String rpcMessage, String data) {
        super(method + " failed: " + rpcMessage + " (JSON-RPC code " + code + ")");
        this.code = code;
        this.rpcMessage = rpcMessage == null ? "" : rpcMessage;
        this.data = data;
    }

    public int code() {
        return code;
    }

    /** The node's message; never null. */
    public String rpcMessage() {
        return rpcMessage;
    }

    /** The error's {@code data} as the node sent it (revert bytes as hex, or JSON), or null. */
    public String data() {
        return data;
    }
}
