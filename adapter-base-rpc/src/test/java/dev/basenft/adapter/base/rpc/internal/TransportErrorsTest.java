package dev.basenft.adapter.base.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** What counts as the transport's fault, and how URLs are redacted. */
class TransportErrorsTest {

    @Test
    void rateLimitsAndOverloadAreTransientButRevertsNeverAre() {
        assertThat(TransportErrors.isTransientRpcError(-32005, "limit exceeded")).isTrue();
        assertThat(TransportErrors.isTransientRpcError(429, "Too Many Requests")).isTrue();
        assertThat(TransportErrors.isTransientRpcError(-32000, "header not found")).isTrue();
        assertThat(TransportErrors.isTransientRpcError(-32603, "request timed out")).isTrue();
        assertThat(TransportErrors.isTransientRpcError(3, "execution reverted: custom error 0xd93c0665")).isFalse();
        assertThat(TransportErrors.isTransientRpcError(3, "execution reverted: oracle timeout")).as("a revert's free text")
                .isFalse();
        assertThat(TransportErrors.isTransientRpcError(-32003, "nonce too low")).isFalse();
        assertThat(TransportErrors.isTransientRpcError(-32000, "insufficient funds for gas * price + value")).isFalse();
    }

    @Test
    void httpStatusesSplitIntoTransientAndNot() {
        assertThat(new HttpStatusException(429, "x").isTransient()).isTrue();
        assertThat(new HttpStatusException(503, "x").isTransient()).isTrue();
        assertThat(new HttpStatusException(401, "x").isTransient()).isFalse();
        assertThat(TransportErrors.describe(new HttpStatusException(502, "x"))).isEqualTo("HTTP 502");
        assertThat(TransportErrors.describe(new HttpTimeoutException("request timed out"))).isEqualTo("timed out");
        assertThat(TransportErrors.describe(new ConnectException())).isEqualTo("connection refused");
    }

    @Test
    void redactionKeepsSchemeHostAndPortOnly() {
        assertThat(Redaction.url(URI.create("https://base-mainnet.g.alchemy.com/v2/abc123"))).isEqualTo(
                "https://base-mainnet.g.alchemy.com/…");
        assertThat(Redaction.url(URI.create("https://user:pass@node.example:8545/?key=abc"))).isEqualTo(
                "https://node.example:8545/…");
        assertThat(Redaction.url(URI.create("http://127.0.0.1:8545"))).isEqualTo("http://127.0.0.1:8545");
        assertThat(Redaction.url(URI.create("http://127.0.0.1:8545/"))).isEqualTo("http://127.0.0.1:8545");
    }
}
