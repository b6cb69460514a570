package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.internal.CampaignEvents;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/campaigns/{id}/events} over real HTTP: refused like any read without a valid caller, then a stream of
 * {@code progress} events: the current state at once, a new event when the campaign changes, none while it does not.
 */
class CampaignEventsTest {

    static final String A1 = "0x52908400098527886E0F7030069857D2E4169EE7";
    static final String A2 = "0x8617E340B3D01FA5F11F306F4090FD50E238070D";

    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutATokenItIs401AndForAnotherOwnersCampaign404() {
        String id = server.createCampaign(7, "Drop");

        assertThat(server.getAnonymous("/api/campaigns/" + id + "/events").status()).isEqualTo(401);
        TestServer.Reply other = server.get("/api/campaigns/" + id + "/events", 8);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.isProblem()).isTrue();
        assertThat(server.get("/api/campaigns/not-a-uuid/events", 7).status()).isEqualTo(400);
    }

    @Test
    void streamsTheCurrentStateAtOnceAndEveryChange() throws Exception {
        String id = server.createCampaign(7, "Drop");
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/campaigns/" + id + "/events"))
                .header("Authorization", TestServer.dev(7)).GET().build();
        HttpResponse<InputStream> response = server.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<String> events = new ArrayBlockingQueue<>(100);
        Thread reader = Thread.ofVirtual().start(() -> readEvents(response.body(), events));
        try {
            JsonNode first = TestServer.JSON.readTree(next(events));
            assertThat(first.at("/campaign/id").asText()).isEqualTo(id);
            assertThat(first.at("/campaign/counts/recipients/PENDING").asLong()).isZero();
            assertThat(first.get("batches").isArray()).isTrue();

            // Unchanged: no new event (the ticker runs every second).
            assertThat(events.poll(2500, TimeUnit.MILLISECONDS)).isNull();

            assertThat(server.post("/api/campaigns/" + id + "/recipients", 7, "text/csv", A1 + "\n" + A2).status())
                    .isEqualTo(200);
            JsonNode changed = TestServer.JSON.readTree(next(events));
            assertThat(changed.at("/campaign/counts/recipients/PENDING").asLong()).isEqualTo(2);
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    @Test
    void aFullServerRefusesMoreStreamsAndAClosedStreamGivesItsSlotBack() {
        CampaignEvents events = new CampaignEvents(server.service, 1, Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofMillis(300));
        try {
            assertThat(events.reserve()).isTrue();
            assertThat(events.reserve()).isFalse();
            String id = server.createCampaign(7, "Drop");
            StringBuilder written = new StringBuilder();
            CountDownLatch closed = new CountDownLatch(1);
            events.subscribe(new Fid(7), CampaignId.parse(id),
                    new CampaignEvents.Sink() {
                        @Override
                        public void send(String text) {
                            synchronized (written) {
                                written.append(text);
                            }
                        }

                        @Override
                        public void close() {
                            closed.countDown();
                        }
                    });
            // The lifetime (300 ms) ends the stream with a reconnect event, and the slot is free again.
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            synchronized (written) {
                assertThat(written.toString()).contains("event: progress", "event: reconnect");
            }
            assertThat(events.openStreams()).isZero();
            assertThat(events.reserve()).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            events.close();
        }
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String data = events.poll(10, TimeUnit.SECONDS);
        assertThat(data).as("a progress event within 10 s").isNotNull();
        return data;
    }

    /** Puts the data of every progress event on the queue. */
    private static void readEvents(InputStream body, BlockingQueue<String> out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "progress".equals(event)) {
                    out.add(line.substring(6));
                } else if (line.isEmpty()) {
                    event = null;
                }
            }
        } catch (IOException e) {
            // the test closed the stream
        }
    }
}
