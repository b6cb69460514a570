package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The worker's management port: liveness, readiness from its checks, its registry's metrics, and nothing else. */
class ManagementServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(ManagementServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndTheRegistrysMetricsOnly() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("basenft.test.things").register(registry).increment(3);
        AtomicBoolean breakerOpen = new AtomicBoolean(false);
        ManagementServer server = ManagementServer.builder().host("127.0.0.1").port(0).meterRegistry(registry)
                .readinessCheck(ReadinessCheck.of("breaker", () -> breakerOpen.get()
                        ? ReadinessCheck.Result.down("Circuit breaker OPEN", Map.of("state", "OPEN"))
                        : ReadinessCheck.Result.up(Map.of("state", "CLOSED"))))
                .build().start();
        try {
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("basenft_test_things_total 3.0");
            assertThat(get(server, "/api/campaigns").statusCode()).as("no API here").isEqualTo(404);

            breakerOpen.set(true);
            HttpResponse<String> ready = get(server, "/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode body = new ObjectMapper().readTree(ready.body());
            assertThat(body.at("/failing/0").asText()).isEqualTo("breaker");
            assertThat(body.at("/checks/breaker/reason").asText()).isEqualTo("Circuit breaker OPEN");
        } finally {
            server.stop();
        }
    }

    @Test
    void needsARegistry() {
        assertThatThrownBy(() -> ManagementServer.builder().build()).hasMessageContaining("meterRegistry");
    }
}
