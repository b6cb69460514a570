package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.http.javalin.TestServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code /health}, {@code /health/ready} composed from named checks, and {@code /metrics}. */
class HealthAndMetricsTest {

    private static TestServer server(List<ReadinessCheck> checks) {
        return new TestServer(null, HttpSettings.builder().host("127.0.0.1").port(0)
                .readinessTimeout(Duration.ofMillis(300)).build(), checks);
    }

    @Test
    void livenessNeedsNothing() {
        try (TestServer server = server(List.of())) {
            Reply reply = server.getAnonymous("/health");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void readyWhenEveryCheckPassesWithTheirDetails() {
        try (TestServer server = server(List.of(
                ReadinessCheck.of("postgresql", () -> ReadinessCheck.Result.up(Map.of("latencyMs", 2))),
                ReadinessCheck.of("rpc", () -> ReadinessCheck.Result.up(Map.of("blockNumber", 123456, "latencyMs", 40)))))) {
            Reply reply = server.getAnonymous("/health/ready");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("status").asText()).isEqualTo("UP");
            assertThat(reply.json().get("failing")).isEmpty();
            assertThat(reply.json().at("/checks/rpc/blockNumber").asLong()).isEqualTo(123456);
            assertThat(reply.json().at("/checks/postgresql/status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void notReadyListsFailingThrowingAndHangingChecks() {
        AtomicBoolean redisUp = new AtomicBoolean(false);
        try (TestServer server = server(List.of(
                ReadinessCheck.of("postgresql", () -> ReadinessCheck.Result.up(Map.of())),
                ReadinessCheck.of("redis", () -> redisUp.get() ? ReadinessCheck.Result.up(Map.of())
                        : ReadinessCheck.Result.down("connection refused", Map.of("host", "127.0.0.1:6379"))),
                ReadinessCheck.of("minter", () -> {
                    throw new IllegalStateException("Minter balance too low");
                }),
                ReadinessCheck.of("rpc", () -> {
                    Thread.sleep(5_000);
                    return ReadinessCheck.Result.up(Map.of());
                })))) {
            long started = System.nanoTime();
            Reply reply = server.getAnonymous("/health/ready");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(reply.json().get("failing")).extracting(n -> n.asText())
                    .containsExactly("redis", "minter", "rpc");
            assertThat(reply.json().at("/checks/redis/reason").asText()).isEqualTo("connection refused");
            assertThat(reply.json().at("/checks/minter/reason").asText()).contains("Minter balance too low");
            assertThat(reply.json().at("/checks/rpc/reason").asText()).contains("no answer within 300 ms");
            assertThat(reply.json().at("/checks/postgresql/status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void aCheckThatIgnoresInterruptsDoesNotHoldTheAnswer() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (TestServer server = server(List.of(ReadinessCheck.of("stuck", () -> {
            // Like a socket read that ignores interrupts: only the latch ends it.
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // keep waiting
                }
            }
            return ReadinessCheck.Result.up(Map.of());
        })))) {
            long started = System.nanoTime();
            Reply reply = server.getAnonymous("/health/ready");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("failing")).extracting(n -> n.asText()).containsExactly("stuck");
        } finally {
            release.countDown();
        }
    }

    @Test
    void metricsArePrometheusTextWithRequestCountsAndLatencyByRouteTemplate() {
        try (TestServer server = server(List.of())) {
            String id = server.createCampaign(7, "x");
            server.get("/api/campaigns/" + id, 7);
            server.get("/api/campaigns/" + id, 7);
            server.getAnonymous("/api/me");
            Reply metrics = server.getAnonymous("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain");
            String text = metrics.body();
            assertThat(text).contains("# TYPE http_server_requests_seconds histogram");
            assertThat(text).containsPattern(
                    "http_server_requests_seconds_count\\{method=\"GET\",route=\"/api/campaigns/\\{id}\",status=\"200\"} 2");
            assertThat(text).containsPattern(
                    "http_server_requests_seconds_count\\{method=\"POST\",route=\"/api/campaigns\",status=\"201\"} 1");
            assertThat(text).containsPattern(
                    "http_server_requests_seconds_count\\{method=\"GET\",route=\"/api/me\",status=\"401\"} 1");
            assertThat(text).contains("http_server_requests_seconds_bucket");
            assertThat(text).doesNotContain(id);
        }
    }
}
