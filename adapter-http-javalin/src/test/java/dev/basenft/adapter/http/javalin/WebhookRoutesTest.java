package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.core.port.out.WebhookSender;
import dev.basenft.core.service.WebhookDispatcher;
import dev.basenft.core.service.WebhookListener;
import dev.basenft.core.service.WebhookPayload;
import dev.basenft.core.service.WebhookSettings;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code /api/webhooks} routes through a real server over core's in-memory ports: registration (the secret shown once),
 * listing, deletion, the test event and the delivery log, each with its refusals (a problem document naming the field,
 * nothing stored), and other creators' webhooks reading as missing. On PostgreSQL, Redis and anvil: app's
 * WebhooksEndToEndTest.
 */
class WebhookRoutesTest {

    static final long ALICE = 7;
    static final long BOB = 8;
    static final String UNKNOWN = "00000000-0000-7000-8000-000000000001";

    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode register(long fid, String body) {
        Reply reply = server.postJson("/api/webhooks", fid, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    private static void assertFieldProblem(Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.isProblem()).as(reply.body()).isTrue();
        assertThat(reply.json().at("/errors/0/field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().get("detail").asText()).isNotBlank();
    }

    @Test
    void registersAWebhookAndShowsItsSecretOnlyInTheAnswer() {
        String campaign = server.createCampaign(ALICE, "Drop");

        Reply created = server.postJson("/api/webhooks", ALICE,
                "{\"url\":\"https://hooks.example.com/base-nft\",\"events\":[\"campaign.completed\",\"batch.failed\"],"
                        + "\"campaignId\":\"" + campaign + "\"}");
        JsonNode wide = register(ALICE, "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"campaign.failed\"]}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/api/webhooks/" + id);
        assertThat(body.get("secret").asText()).startsWith("whsec_");
        assertThat(body.get("events")).extracting(JsonNode::asText).containsExactly("batch.failed", "campaign.completed");
        assertThat(body.get("campaignId").asText()).isEqualTo(campaign);
        assertThat(wide.get("campaignId").isNull()).isTrue();

        Reply list = server.get("/api/webhooks", ALICE);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items")).extracting(n -> n.get("id").asText()).containsExactly(id,
                wide.get("id").asText());
        assertThat(list.body()).doesNotContain("whsec_").doesNotContain("secret");
        assertThat(server.get("/api/webhooks", BOB).json().get("items")).isEmpty();
    }

    @Test
    void aRepeatedRegistrationWithTheSameKeyGetsTheSameWebhookBack() {
        String body = "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"campaign.completed\"]}";
        Reply first = server.post("/api/webhooks", ALICE, "same-key", "application/json", body);
        Reply again = server.post("/api/webhooks", ALICE, "same-key", "application/json", body);
        Reply other = server.post("/api/webhooks", ALICE, "same-key", "application/json",
                body.replace("/x", "/y"));

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.json().get("secret")).isEqualTo(first.json().get("secret"));
        assertThat(other.status()).isEqualTo(422);
        assertThat(server.get("/api/webhooks", ALICE).json().get("items")).hasSize(1);
    }

    @Test
    void refusesBadRegistrationsNamingTheFieldAndStoresNothing() {
        String mine = server.createCampaign(ALICE, "Mine");
        String bobs = server.createCampaign(BOB, "Bob's");
        String events = ",\"events\":[\"campaign.completed\"]";
        Map<String, String> refusedByField = new java.util.LinkedHashMap<>();
        refusedByField.put("{\"events\":[\"campaign.completed\"]}", "url");
        refusedByField.put("{\"url\":\"\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"hooks.example.com/x\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"/relative\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"ftp://hooks.example.com/x\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"http://hooks.example.com/x\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"https://user:pw@hooks.example.com/x\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x y\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"https://hooks.example.com/" + "a".repeat(2_000) + "\"" + events + "}", "url");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\"}", "events");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\",\"events\":[]}", "events");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\",\"events\":[\"campaign.done\"]}", "events");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\",\"events\":[\"webhook.test\"]}", "events");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\",\"events\":[null]}", "events");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\",\"events\":\"campaign.completed\"}", "/events");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\"" + events + ",\"campaignId\":\"nope\"}", "campaignId");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\"" + events + ",\"campaignId\":\"" + bobs + "\"}",
                "campaignId");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\"" + events + ",\"campaignId\":\"" + UNKNOWN + "\"}",
                "campaignId");
        refusedByField.put("{\"url\":\"https://hooks.example.com/x\"" + events + ",\"secret\":\"whsec_mine\"}", "/secret");

        refusedByField.forEach((body, field) -> assertFieldProblem(server.postJson("/api/webhooks", ALICE, body), 400,
                field));

        assertThat(server.postJson("/api/webhooks", ALICE, "").status()).isEqualTo(400);
        assertThat(server.postJson("/api/webhooks", ALICE, "{not json").status()).isEqualTo(400);
        assertThat(server.post("/api/webhooks", ALICE, "text/plain", "{}").status()).isEqualTo(415);
        Reply noKey = server.post("/api/webhooks", ALICE, null, "application/json",
                "{\"url\":\"https://hooks.example.com/x\"" + events + "}");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.isProblem()).isTrue();
        assertThat(server.sendOnNewConnection(HttpRequest.newBuilder(server.uri("/api/webhooks"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "k")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).status()).isEqualTo(401);
        assertThat(server.get("/api/webhooks", ALICE).json().get("items")).isEmpty();
        assertThat(server.storage.webhooks().byOwner(new dev.basenft.core.model.Fid(ALICE))).isEmpty();
        // and a good one still goes in
        register(ALICE, "{\"url\":\"https://hooks.example.com/x\"" + events + ",\"campaignId\":\"" + mine + "\"}");
    }

    @Test
    void deletesOnlyTheCallersWebhook() {
        String id = register(ALICE, "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"batch.failed\"]}")
                .get("id").asText();

        Reply foreign = server.delete("/api/webhooks/" + id, BOB);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("detail").asText()).isEqualTo("webhook " + id + " not found");
        assertThat(server.delete("/api/webhooks/" + UNKNOWN, ALICE).status()).isEqualTo(404);
        assertFieldProblem(server.delete("/api/webhooks/not-a-uuid", ALICE), 400, "id");
        assertThat(server.sendOnNewConnection(HttpRequest.newBuilder(server.uri("/api/webhooks/" + id)).DELETE().build())
                .status()).isEqualTo(401);

        assertThat(server.delete("/api/webhooks/" + id, ALICE).status()).isEqualTo(204);
        assertThat(server.delete("/api/webhooks/" + id, ALICE).status()).isEqualTo(404);
        assertThat(server.get("/api/webhooks", ALICE).json().get("items")).isEmpty();
    }

    @Test
    void aTestEventIsDeliveredSignedAndLoggedAndTheLogPages() throws Exception {
        JsonNode webhook = register(ALICE, "{\"url\":\"https://hooks.example.com/x\",\"events\":[\"batch.failed\"]}");
        String id = webhook.get("id").asText();
        String secret = webhook.get("secret").asText();

        Reply foreign = server.postJson("/api/webhooks/" + id + "/test", BOB, "");
        assertThat(foreign.status()).isEqualTo(404);
        assertFieldProblem(server.postJson("/api/webhooks/not-a-uuid/test", ALICE, ""), 400, "id");
        assertThat(server.postJson("/api/webhooks/" + id + "/test", ALICE, "{\"x\":1}").status()).isEqualTo(400);
        assertThat(server.postJson("/api/webhooks/" + UNKNOWN + "/test", ALICE, "{}").status()).isEqualTo(404);
        assertThat(server.post("/api/webhooks/" + id + "/test", ALICE, null, "application/json", "").status())
                .isEqualTo(400);

        Reply tested = server.postJson("/api/webhooks/" + id + "/test", ALICE, "");
        assertThat(tested.status()).isEqualTo(202);
        String eventId = tested.json().get("eventId").asText();

        // The receiver answers 500 once, then 204: two tries of one event, both carrying its id.
        List<Map<String, String>> received = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        WebhookSender receiver = (url, headers, body, timeout) -> {
            received.add(Map.copyOf(headers));
            bodies.add(new String(body, StandardCharsets.UTF_8));
            return new WebhookSender.Sent.Answered(received.size() == 1 ? 500 : 204);
        };
        WebhookSettings fast = new WebhookSettings(false, 5, Duration.ofMillis(1), Duration.ofMillis(1),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(1));
        WebhookDispatcher dispatcher = new WebhookDispatcher(server.storage.webhooks(), receiver, server.clock, fast,
                WebhookListener.NONE);
        dispatcher.runOnce();
        server.clock.advance(Duration.ofSeconds(1));
        dispatcher.runOnce();

        assertThat(received).hasSize(2).allSatisfy(h -> {
            assertThat(h.get(WebhookPayload.EVENT_ID_HEADER)).isEqualTo(eventId);
            String timestamp = h.get(WebhookPayload.TIMESTAMP_HEADER);
            assertThat(h.get(WebhookPayload.SIGNATURE_HEADER)).isEqualTo(
                    WebhookPayload.signature(secret, Long.parseLong(timestamp), bodies.get(0).getBytes(StandardCharsets.UTF_8)));
        });
        JsonNode body = TestServer.JSON.readTree(bodies.get(0));
        assertThat(body.get("id").asText()).isEqualTo(eventId);
        assertThat(body.get("type").asText()).isEqualTo("webhook.test");
        assertThat(body.at("/data/webhookId").asText()).isEqualTo(id);

        String log = "/api/webhooks/" + id + "/deliveries";
        JsonNode first = server.get(log + "?limit=1", ALICE).json();
        assertThat(first.get("items")).singleElement().satisfies(a -> {
            assertThat(a.get("attempt").asInt()).isEqualTo(2);
            assertThat(a.get("outcome").asText()).isEqualTo("DELIVERED");
            assertThat(a.get("statusCode").asInt()).isEqualTo(204);
            assertThat(a.get("eventId").asText()).isEqualTo(eventId);
        });
        JsonNode second = server.get(log + "?limit=1&cursor=" + first.get("nextCursor").asText(), ALICE).json();
        assertThat(second.get("items")).singleElement().satisfies(a -> {
            assertThat(a.get("attempt").asInt()).isEqualTo(1);
            assertThat(a.get("outcome").asText()).isEqualTo("RETRYING");
            assertThat(a.get("error").asText()).isEqualTo("HTTP 500");
        });
        assertThat(second.get("nextCursor").isNull()).isTrue();

        assertThat(server.get(log, BOB).status()).isEqualTo(404);
        assertThat(server.get("/api/webhooks/" + UNKNOWN + "/deliveries", ALICE).status()).isEqualTo(404);
        assertFieldProblem(server.get("/api/webhooks/x/deliveries", ALICE), 400, "id");
        for (String query : List.of("?limit=0", "?limit=201", "?limit=x", "?cursor=nonsense", "?cursor=YjE6MQ")) {
            assertFieldProblem(server.get(log + query, ALICE), 400, query.startsWith("?limit") ? "limit" : "cursor");
        }
        assertThat(server.getAnonymous(log).status()).isEqualTo(401);
    }
}
