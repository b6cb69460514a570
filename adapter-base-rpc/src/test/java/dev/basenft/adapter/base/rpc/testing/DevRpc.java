package dev.basenft.adapter.base.rpc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately separate JSON-RPC client for the tests, so that what they check on the chain does not go through the
 * adapter under test. Sends from anvil's unlocked dev accounts. Thread-safe.
 */
public final class DevRpc {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicLong IDS = new AtomicLong();

    private final URI url;

    public DevRpc(URI url) {
        this.url = url;
    }

    /** A JSON-RPC error answer. */
    public static final class RpcError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final int code;
        public final String data;

        RpcError(String method, int code, String message, String data) {
            super(method + ": " + message + " (code " + code + ", data " + data + ")");
            this.code = code;
            this.data = data;
        }
    }

    /** Calls {@code method}; returns {@code result}, throws {@link RpcError} on an error answer. */
    public JsonNode call(String method, Object... params) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", IDS.incrementAndGet());
        request.put("method", method);
        request.set("params", JSON.valueToTree(List.of(params)));
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (body.hasNonNull("error")) {
                JsonNode error = body.get("error");
                JsonNode data = error.get("data");
                throw new RpcError(method, error.path("code").asInt(), error.path("message").asText(),
                        data == null || data.isNull() ? null : data.isTextual() ? data.asText() : data.toString());
            }
            return body.get("result");
        } catch (IOException e) {
            throw new UncheckedIOException(method + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code eth_sendTransaction} from an unlocked account; returns the hash. */
    public String send(Address from, Address to, String data, Long gas) {
        ObjectNode tx = JSON.createObjectNode();
        tx.put("from", from.lowerCase());
        if (to != null) {
            tx.put("to", to.lowerCase());
        }
        tx.put("data", data);
        if (gas != null) {
            tx.put("gas", "0x" + Long.toHexString(gas));
        }
        return call("eth_sendTransaction", tx).asText();
    }

    /** Sends and returns the receipt (anvil mines on send by default). */
    public JsonNode sendAndMine(Address from, Address to, String data, Long gas) {
        String hash = send(from, to, data, gas);
        JsonNode receipt = call("eth_getTransactionReceipt", hash);
        if (receipt == null || receipt.isNull()) {
            call("evm_mine");
            receipt = call("eth_getTransactionReceipt", hash);
        }
        return receipt;
    }

    /** Sends, mines and fails unless the transaction succeeded. */
    public JsonNode sendOk(Address from, Address to, String data) {
        JsonNode receipt = sendAndMine(from, to, data, null);
        if (!"0x1".equals(receipt.path("status").asText())) {
            throw new IllegalStateException("transaction reverted: " + receipt);
        }
        return receipt;
    }

    /** {@code eth_call} at latest; throws {@link RpcError} on revert. */
    public String ethCall(Address from, Address to, String data) {
        ObjectNode tx = JSON.createObjectNode();
        if (from != null) {
            tx.put("from", from.lowerCase());
        }
        tx.put("to", to.lowerCase());
        tx.put("data", data);
        return call("eth_call", tx, "latest").asText();
    }

    public List<Address> accounts() {
        JsonNode accounts = call("eth_accounts");
        return java.util.stream.StreamSupport.stream(accounts.spliterator(), false).map(n -> Address.parse(n.asText())).toList();
    }

    public long blockNumber() {
        return quantity(call("eth_blockNumber"));
    }

    public long nonce(Address wallet, String block) {
        return quantity(call("eth_getTransactionCount", wallet.lowerCase(), block));
    }

    public static long quantity(JsonNode hex) {
        return new BigInteger(hex.asText().substring(2), 16).longValueExact();
    }

    public void setAutomine(boolean on) {
        call("anvil_setAutomine", on);
    }

    public void mine() {
        call("evm_mine");
    }
}
