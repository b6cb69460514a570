package dev.basenft.adapter.base.rpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.web3j.protocol.Service;

/**
 * web3j's JSON-RPC service over the JDK's {@link HttpClient} instead of OkHttp. Reasons: a per-request timeout that covers
 * the whole wait for the node's answer (the connect timeout is set on the shared client), the HTTP status kept for error
 * classification (web3j's own HttpService folds 429 and 5xx into an unchecked exception with the body in its message), and
 * no OkHttp/Kotlin on the classpath.
 *
 * <p>Thread-safe: the JDK client and web3j's object mapper are.
 */
public final class JdkHttpService extends Service implements AutoCloseable {

    private final HttpClient client;
    private final URI url;
    private final String redacted;
    private final Duration timeout;

    public JdkHttpService(HttpClient client, URI url, Duration timeout) {
        super(false);
        this.client = client;
        this.url = url;
        this.redacted = Redaction.url(url);
        this.timeout = timeout;
    }

    @Override
    protected InputStream performIO(String payload) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while calling " + redacted);
            interrupted.initCause(e);
            throw interrupted;
        }
        int status = response.statusCode();
        byte[] body = response.body();
        if (status / 100 == 2) {
            return new ByteArrayInputStream(body);
        }
        // Some providers answer a JSON-RPC error with HTTP 400: the node did answer, so hand the error on. Not for 429 and
        // 5xx, whose JSON bodies ("rate limited", "upstream unavailable") describe the transport, not our request.
        if (status / 100 == 4 && status != 429 && isJsonRpcError(body)) {
            return new ByteArrayInputStream(body);
        }
        throw new HttpStatusException(status, redacted);
    }

    private boolean isJsonRpcError(byte[] body) {
        try {
            JsonNode node = objectMapper.readTree(body);
            return node != null && node.has("jsonrpc") && node.has("error");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The endpoint as it may be logged. */
    public String redactedUrl() {
        return redacted;
    }

    @Override
    public void close() {
        // The HttpClient is shared by all endpoints and closed by its owner.
    }
}
