package dev.basenft.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "0x" + "ab".repeat(32);

    private final Logger logger = new LoggerContext().getLogger("dev.basenft.core.service.BatchProcessor");

    private JsonNode encode(LoggingEvent event) throws Exception {
        byte[] bytes = new JsonLineEncoder().encode(event);
        String line = new String(bytes, StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        return JSON.readTree(line);
    }

    @Test
    void aBatchLineCarriesItsCampaignBatchTransactionAndNonceAsFields() throws Exception {
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO,
                "Batch b-1: signed and stored tx " + HASH + " (nonce 1234567, 200 recipients), broadcasting", null, null);
        event.setMDCPropertyMap(Map.of(LogContext.CAMPAIGN_ID, "c-7", LogContext.BATCH_ID, "b-1", "requestId", "r-9"));
        event.setTimeStamp(0);

        JsonNode json = encode(event);

        assertThat(json.get("time").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("dev.basenft.core.service.BatchProcessor");
        assertThat(json.get("message").asText()).startsWith("Batch b-1: signed and stored tx 0xabab");
        assertThat(json.get("campaignId").asText()).isEqualTo("c-7");
        assertThat(json.get("batchId").asText()).isEqualTo("b-1");
        assertThat(json.get("txHash").asText()).isEqualTo(HASH);
        assertThat(json.get("nonce").isNumber()).isTrue();
        assertThat(json.get("nonce").asLong()).isEqualTo(1234567);
        assertThat(json.get("requestId").asText()).as("other context entries keep their names").isEqualTo("r-9");
    }

    @Test
    void aRunbookLineStaysSearchableAndQuotesAndNewlinesAreEscaped() throws Exception {
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.WARN,
                "[worker] Circuit breaker OPEN after 5 consecutive RPC failures: \"timeout\"\nnext line",
                new IllegalStateException("node away"), null);
        event.setMDCPropertyMap(Map.of());

        JsonNode json = encode(event);

        assertThat(json.get("message").asText()).isEqualTo(
                "[worker] Circuit breaker OPEN after 5 consecutive RPC failures: \"timeout\"\nnext line");
        assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: node away");
        assertThat(json.get("stackTrace").asText()).contains("IllegalStateException", "at ");
        assertThat(json.has("txHash")).isFalse();
        assertThat(json.has("nonce")).isFalse();
        assertThat(json.has("campaignId")).isFalse();
    }
}
