package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.testing.FakeChain;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pause, resume, cancel and recipient removal through a real server and a real HTTP client, over core's
 * {@code DistributionControl} and in-memory ports: what each answers, that each is idempotent, and each refusal with its
 * named problem and nothing changed.
 */
class ControlRoutesTest {

    static final long ALICE = 7;
    static final long BOB = 8;
    static final String A1 = "0x52908400098527886E0F7030069857D2E4169EE7";
    static final String A2 = "0x8617E340B3D01FA5F11F306F4090FD50E238070D";
    static final String A3 = "0xde709f2102306220921060314715629080e2fb77";
    static final String A4 = "0x27b1fdb04752bbc536007a920d24acb045561c26";

    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A campaign with its collection attached and four recipients (two batches of two once distributed). */
    private String campaignWithRecipients() {
        String id = server.createCampaign(ALICE, "Drop");
        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(A1), CampaignId.parse(id));
        assertThat(server.postJson("/api/campaigns/" + id + "/contract", ALICE,
                "{\"txHash\":\"" + deployment.transaction() + "\"}").status()).isEqualTo(200);
        assertThat(server.postJson("/api/campaigns/" + id + "/recipients", ALICE,
                "[\"" + A1 + "\",\"" + A2 + "\",\"" + A3 + "\",\"" + A4 + "\"]").status()).isEqualTo(200);
        return id;
    }

    private String distributing() {
        String id = campaignWithRecipients();
        assertThat(server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "").status()).isEqualTo(202);
        return id;
    }

    private Reply control(String id, String action) {
        return server.post("/api/campaigns/" + id + "/" + action, ALICE, null, "");
    }

    private Reply delete(String path, long fid) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", TestServer.dev(fid))
                .DELETE().build());
    }

    private Reply remove(String id, String json) {
        return server.postJson("/api/campaigns/" + id + "/recipients/remove", ALICE, json);
    }

    private static Reply assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.isProblem()).as(reply.contentType()).isTrue();
        assertThat(reply.json().get("type").asText()).isEqualTo("urn:base-nft:problem:" + type);
        assertThat(reply.detail()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at dev.basenft");
        return reply;
    }

    private String status(String id) {
        return server.get("/api/campaigns/" + id, ALICE).json().get("status").asText();
    }

    @Test
    void pauseAndResumeAnswerTheCampaignAndAreIdempotent() {
        String id = distributing();

        Reply paused = control(id, "pause");
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("status").asText()).isEqualTo("PAUSED");
        assertThat(paused.json().at("/counts/batches/PENDING").asLong()).isEqualTo(2);
        assertThat(control(id, "pause").json().get("status").asText()).isEqualTo("PAUSED");
        assertThat(status(id)).isEqualTo("PAUSED");

        Reply resumed = control(id, "resume");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().get("status").asText()).isEqualTo("PROCESSING");
        assertThat(control(id, "resume").json().get("status").asText()).isEqualTo("PROCESSING");
    }

    @Test
    void cancelReturnsUnsignedBatchesRecipientsToPendingAndIsIdempotent() {
        String id = distributing();

        Reply cancelled = control(id, "cancel");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().at("/counts/batches/CANCELLED").asLong()).isEqualTo(2);
        assertThat(cancelled.json().at("/counts/recipients/PENDING").asLong()).isEqualTo(4);
        assertThat(cancelled.json().at("/counts/recipients/PROCESSING").asLong()).isZero();
        assertThat(control(id, "cancel").json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(server.get("/api/campaigns/" + id + "/distributions", ALICE).json().at("/items/0/status").asText())
                .isEqualTo(BatchStatus.CANCELLED.name());

        // Distributed again: the recipients are planned into new batches.
        Reply again = server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("plannedRecipients").asLong()).isEqualTo(4);
        assertThat(status(id)).isEqualTo("PROCESSING");
    }

    @Test
    void eachControlIsRefusedWithAProblemNamingTheState() {
        String draft = campaignWithRecipients();
        assertThat(assertProblem(control(draft, "pause"), 409, "campaign-draft").json().get("campaignStatus").asText())
                .isEqualTo("DRAFT");
        assertThat(assertProblem(control(draft, "resume"), 409, "campaign-draft").json().get("action").asText())
                .isEqualTo("resume");
        assertProblem(control(draft, "cancel"), 409, "campaign-draft");
        assertThat(status(draft)).isEqualTo("DRAFT");

        String paused = distributing();
        control(paused, "pause");
        assertProblem(server.post("/api/campaigns/" + paused + "/distribute", ALICE, null, ""), 409, "campaign-paused");
        assertProblem(server.post("/api/campaigns/" + paused + "/retry", ALICE, null, ""), 409, "campaign-paused");
        assertThat(status(paused)).isEqualTo("PAUSED");

        control(paused, "cancel");
        Reply resume = assertProblem(control(paused, "resume"), 409, "campaign-cancelled");
        assertThat(resume.detail()).contains("distribute");
        assertProblem(control(paused, "pause"), 409, "campaign-cancelled");
        assertThat(status(paused)).isEqualTo("CANCELLED");

        server.storage.campaigns().updateStatus(CampaignId.parse(draft), CampaignStatus.DRAFT, CampaignStatus.PROCESSING);
        server.storage.campaigns().updateStatus(CampaignId.parse(draft), CampaignStatus.PROCESSING,
                CampaignStatus.COMPLETED);
        assertProblem(control(draft, "pause"), 409, "campaign-completed");
        assertProblem(control(draft, "cancel"), 409, "campaign-completed");
    }

    @Test
    void controlsRefuseBadInputAndOtherUsersCampaigns() {
        String id = distributing();
        assertProblem(control("not-a-uuid", "pause"), 400, "bad-request");
        assertThat(assertProblem(control("not-a-uuid", "cancel"), 400, "bad-request").json().at("/errors/0/field")
                .asText()).isEqualTo("id");
        assertProblem(control(UUID.randomUUID().toString(), "resume"), 404, "not-found");
        assertProblem(server.post("/api/campaigns/" + id + "/pause", BOB, null, ""), 404, "not-found");
        Reply field = assertProblem(server.postJson("/api/campaigns/" + id + "/pause", ALICE, "{\"force\":true}"), 400,
                "bad-request");
        assertThat(field.detail()).contains("unknown field 'force'");
        assertProblem(server.postJson("/api/campaigns/" + id + "/cancel", ALICE, "[1]"), 400, "bad-request");
        assertProblem(server.post("/api/campaigns/" + id + "/pause", ALICE, null, null, ""), 400, "bad-request");
        assertProblem(server.send(HttpRequest.newBuilder(server.uri("/api/campaigns/" + id + "/pause"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Idempotency-Key", "k").build()), 401,
                "unauthenticated");
        // None of them changed anything.
        assertThat(status(id)).isEqualTo("PROCESSING");
    }

    @Test
    void removesUnplannedRecipientsAndReportsAbsentOnes() {
        String id = campaignWithRecipients();

        Reply removed = remove(id, "{\"addresses\":[\"" + A2 + "\",\"" + A3.toUpperCase().replace("0X", "0x")
                + "\"]}");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.json().get("removed").asInt()).isEqualTo(2);
        assertThat(removed.json().get("absent")).isEmpty();

        Reply again = remove(id, "{\"addresses\":[\"" + A2 + "\"]}");
        assertThat(again.json().get("removed").asInt()).isZero();
        assertThat(again.json().get("absent").get(0).asText()).isEqualTo(A2);

        Reply one = delete("/api/campaigns/" + id + "/recipients/" + A4, ALICE);
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json().get("removed").asInt()).isEqualTo(1);
        assertThat(delete("/api/campaigns/" + id + "/recipients/" + A4, ALICE).json().get("removed").asInt()).isZero();

        assertThat(server.get("/api/campaigns/" + id, ALICE).json().at("/counts/recipients/PENDING").asLong())
                .isEqualTo(1);
        Reply started = server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "");
        assertThat(started.json().get("plannedRecipients").asLong()).isEqualTo(1);
    }

    @Test
    void refusesToRemoveAPlannedRecipientNamingItAndRemovesNothing() {
        String id = distributing();
        server.postJson("/api/campaigns/" + id + "/recipients", ALICE, "[\"0x000000000000000000000000000000000000dEaD\"]");

        Reply refused = assertProblem(remove(id, "{\"addresses\":[\"0x000000000000000000000000000000000000dEaD\",\""
                + A3 + "\"]}"), 409, "recipients-planned");

        assertThat(refused.detail()).contains(Address.parse(A3).toString()).contains("nothing was removed");
        assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("/addresses/1");
        assertThat(server.storage.recipients().find(CampaignId.parse(id),
                Address.parse("0x000000000000000000000000000000000000dEaD"))).isPresent();
        assertProblem(delete("/api/campaigns/" + id + "/recipients/" + A1, ALICE), 409, "recipients-planned");
        assertThat(server.storage.recipients().find(CampaignId.parse(id), Address.parse(A1)).orElseThrow().status())
                .isEqualTo(RecipientStatus.PROCESSING);
    }

    @Test
    void removalRefusesBadInputNamingWhereAndRemovesNothing() {
        String id = campaignWithRecipients();
        record Case(String body, String field, String words) {
        }
        for (Case c : List.of(
                new Case("{}", "/addresses", "1 to 10000"),
                new Case("{\"addresses\":[]}", "/addresses", "1 to 10000"),
                new Case("{\"addresses\":[\"" + A1 + "\",\"0x12\"]}", "/addresses/1", "not valid"),
                new Case("{\"addresses\":[null]}", "/addresses/0", "not valid"),
                new Case("{\"addresses\":[\"0x52908400098527886e0F7030069857D2E4169EE7\"]}", "/addresses/0", "not valid"),
                new Case("{\"addresses\":\"" + A1 + "\"}", "/addresses", "addresses"),
                new Case("{\"addresses\":[\"" + A1 + "\"],\"all\":true}", "/all", "unknown field 'all'"))) {
            Reply reply = assertProblem(remove(id, c.body()), 400, "bad-request");
            assertThat(reply.json().at("/errors/0/field").asText()).as(c.body()).isEqualTo(c.field());
            assertThat(reply.detail()).as(c.body()).contains(c.words());
        }
        assertProblem(remove(id, "{\"addresses\": ["), 400, "bad-request");
        assertProblem(server.post("/api/campaigns/" + id + "/recipients/remove", ALICE, "text/csv", A1), 415,
                "unsupported-media-type");
        assertProblem(delete("/api/campaigns/" + id + "/recipients/0x12", ALICE), 400, "bad-request");
        assertProblem(delete("/api/campaigns/not-a-uuid/recipients/" + A1, ALICE), 400, "bad-request");
        assertProblem(delete("/api/campaigns/" + id + "/recipients/" + A1, BOB), 404, "not-found");
        assertProblem(server.postJson("/api/campaigns/" + id + "/recipients/remove", BOB,
                "{\"addresses\":[\"" + A1 + "\"]}"), 404, "not-found");

        assertThat(server.get("/api/campaigns/" + id, ALICE).json().at("/counts/recipients/PENDING").asLong())
                .isEqualTo(4);
    }

    @Test
    void theEventStreamShowsThePauseAndTheCancel() throws Exception {
        String id = distributing();
        java.net.http.HttpResponse<java.io.InputStream> response = server.client.send(
                HttpRequest.newBuilder(server.uri("/api/campaigns/" + id + "/events"))
                        .header("Authorization", TestServer.dev(ALICE)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.ArrayBlockingQueue<>(100);
        Thread reader = Thread.ofVirtual().start(() -> readEvents(response.body(), events));
        try {
            assertThat(statusIn(next(events))).isEqualTo("PROCESSING");
            control(id, "pause");
            assertThat(statusIn(next(events))).isEqualTo("PAUSED");
            control(id, "cancel");
            String cancelled = next(events);
            assertThat(statusIn(cancelled)).isEqualTo("CANCELLED");
            assertThat(TestServer.JSON.readTree(cancelled).at("/batches/0/status").asText()).isEqualTo("CANCELLED");
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    private static String statusIn(String event) throws java.io.IOException {
        return TestServer.JSON.readTree(event).at("/campaign/status").asText();
    }

    private static String next(java.util.concurrent.BlockingQueue<String> events) throws InterruptedException {
        String data = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(data).as("a progress event within 10 s").isNotNull();
        return data;
    }

    /** Puts the data of every progress event on the queue. */
    private static void readEvents(java.io.InputStream body, java.util.concurrent.BlockingQueue<String> out) {
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(body,
                java.nio.charset.StandardCharsets.UTF_8))) {
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
        } catch (java.io.IOException e) {
            // the test closed the stream
        }
    }
}
