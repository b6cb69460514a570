package dev.basenft.adapter.http.javalin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.ChainUnavailableException;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {

    @Test
    void anUnreachableChainIs503WithARetryNotAnInternalError() {
        Problem problem = ErrorMapping.problem(new ChainUnavailableException("no RPC endpoint answered eth_getTransactionReceipt"));

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.type()).endsWith(":chain-unavailable");
        assertThat(problem.detail()).contains("cannot be reached", "no RPC endpoint answered");
        assertThat(problem.headers()).containsEntry("Retry-After", "10");
        assertThat(problem.extensions()).doesNotContainKey("reference");
    }
}
