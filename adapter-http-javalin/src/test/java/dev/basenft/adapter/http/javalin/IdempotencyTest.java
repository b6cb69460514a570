package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.testing.FakeChain;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Layer 1 of docs/architecture.md#exactly-once over HTTP: same key and request replays the first response; same key, other
 * request, 422.
 */
class IdempotencyTest {

    static final long ALICE = 7;
    static final long BOB = 8;
    static final String CREATE = "{\"name\":\"Drop\",\"symbol\":\"DRP\"}";

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
    void sameKeyAndBodyReplaysTheFirstResponseAndRunsTheUseCaseOnce() {
        Reply first = server.post("/api/campaigns", ALICE, "key-1", "application/json", CREATE);
        Reply again = server.post("/api/campaigns", ALICE, "key-1", "application/json", CREATE);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(server.campaignCount(ALICE)).isEqualTo(1);
    }

    @Test
    void sameKeyWithAnotherBodyOrPathIs422AndChangesNothing() {
        server.post("/api/campaigns", ALICE, "key-1", "application/json", CREATE);
        Reply otherBody = server.post("/api/campaigns", ALICE, "key-1", "application/json",
                "{\"name\":\"Other\",\"symbol\":\"OTH\"}");
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.isProblem()).isTrue();
        assertThat(otherBody.json().get("type").asText()).endsWith("idempotency-key-reused");
        assertThat(otherBody.detail()).contains("key-1").contains("different request");
        String id = server.createCampaign(ALICE, "x");
        Reply otherPath = server.post("/api/campaigns/" + id + "/distribute", ALICE, "key-1", null, "");
        assertThat(otherPath.status()).isEqualTo(422);
        assertThat(server.campaignCount(ALICE)).isEqualTo(2);
        assertThat(server.queue.jobIds()).isEmpty();
    }

    @Test
    void keysBelongToTheirCaller() {
        Reply alice = server.post("/api/campaigns", ALICE, "shared", "application/json", CREATE);
        Reply bob = server.post("/api/campaigns", BOB, "shared", "application/json", CREATE);
        assertThat(bob.status()).isEqualTo(201);
        assertThat(bob.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(bob.json().get("id").asText()).isNotEqualTo(alice.json().get("id").asText());
        assertThat(bob.json().get("owner").asLong()).isEqualTo(BOB);
    }

    @Test
    void everyPostNeedsAValidKey() {
        String id = server.createCampaign(ALICE, "x");
        for (String path : List.of("/api/campaigns", "/api/campaigns/" + id + "/contract",
                "/api/campaigns/" + id + "/recipients", "/api/campaigns/" + id + "/distribute",
                "/api/campaigns/" + id + "/retry")) {
            Reply missing = server.post(path, ALICE, null, "application/json", CREATE);
            assertThat(missing.status()).as(path).isEqualTo(400);
            assertThat(missing.detail()).contains("Idempotency-Key");
            assertThat(missing.json().at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
        }
        for (String bad : List.of("has space", "x".repeat(256), "tab\tkey")) {
            Reply reply = server.send(HttpRequest.newBuilder(server.uri("/api/campaigns"))
                    .header("Authorization", TestServer.dev(ALICE)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", bad).POST(HttpRequest.BodyPublishers.ofString(CREATE)).build());
            assertThat(reply.status()).as(bad).isEqualTo(400);
        }
        assertThat(server.campaignCount(ALICE)).isEqualTo(1);
        for (String bad : List.of("has space", "x".repeat(256), "tab\tkey")) {
            assertThat(server.storage.idempotency().find(new Fid(ALICE), bad)).as(bad).isEmpty();
        }
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneCampaign() throws Exception {
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(() -> server.post("/api/campaigns", ALICE, "race", "application/json", CREATE));
        }
        List<String> bodies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<Reply> reply : pool.invokeAll(calls)) {
                assertThat(reply.get().status()).isEqualTo(201);
                bodies.add(reply.get().body());
            }
        }
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(server.campaignCount(ALICE)).isEqualTo(1);
    }

    @Test
    void transientAnswersAreNotStoredSoTheSameKeyCanSucceedLater() {
        String id = server.createCampaign(ALICE, "x");
        Reply notReady = server.post("/api/campaigns/" + id + "/distribute", ALICE, "go", null, "");
        assertThat(notReady.status()).isEqualTo(409);

        String unmined = "{\"txHash\":\"0x" + "ab".repeat(32) + "\"}";
        Reply notMined = server.post("/api/campaigns/" + id + "/contract", ALICE, "attach", "application/json", unmined);
        assertThat(notMined.status()).isEqualTo(409);
        Reply askedAgain = server.post("/api/campaigns/" + id + "/contract", ALICE, "attach", "application/json", unmined);
        assertThat(askedAgain.status()).isEqualTo(409);
        assertThat(askedAgain.headers().firstValue("Idempotent-Replayed")).as("asked the chain again").isEmpty();

        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(
                "0x52908400098527886E0F7030069857D2E4169EE7"), CampaignId.parse(id));
        Reply attached = server.postJson("/api/campaigns/" + id + "/contract", ALICE, "{\"txHash\":\""
                + deployment.transaction() + "\"}");
        assertThat(attached.status()).isEqualTo(200);

        Reply started = server.post("/api/campaigns/" + id + "/distribute", ALICE, "go", null, "");
        assertThat(started.status()).isEqualTo(202);
        Reply replay = server.post("/api/campaigns/" + id + "/distribute", ALICE, "go", null, "");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void uploadsReplayToo() {
        String id = server.createCampaign(ALICE, "x");
        String path = "/api/campaigns/" + id + "/recipients";
        String csv = "0x52908400098527886E0F7030069857D2E4169EE7\n";
        Reply first = server.post(path, ALICE, "up-1", "text/csv", csv);
        Reply again = server.post(path, ALICE, "up-1", "text/csv", csv);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.json().get("added").asLong()).isEqualTo(1);
        assertThat(server.recipients.addAllCalls()).isEqualTo(1);

        String bad = "not-an-address\n";
        Reply refused = server.post(path, ALICE, "up-2", "text/csv", bad);
        Reply refusedAgain = server.post(path, ALICE, "up-2", "text/csv", bad);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refusedAgain.status()).isEqualTo(422);
        assertThat(refusedAgain.isProblem()).isTrue();
        assertThat(refusedAgain.body()).isEqualTo(refused.body());
        assertThat(refusedAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(server.recipients.count(CampaignId.parse(id))).isEqualTo(1);
    }
}
