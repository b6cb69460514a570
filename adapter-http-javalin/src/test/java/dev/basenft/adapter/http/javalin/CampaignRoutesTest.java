package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.CampaignKey;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.testing.FakeChain;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of the API through a real server and a real HTTP client, over core's real {@code CampaignService} and
 * core's in-memory ports, with {@code FakeChain} as the collection factory.
 */
class CampaignRoutesTest {

    static final long ALICE = 7;
    static final long BOB = 8;
    static final String A1 = "0x52908400098527886E0F7030069857D2E4169EE7";
    static final String A2 = "0x8617E340B3D01FA5F11F306F4090FD50E238070D";
    static final String A3 = "0xde709f2102306220921060314715629080e2fb77";
    static final String UNMINED = "0x" + "ab".repeat(32);

    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String txBody(Object hash) {
        return "{\"txHash\":\"" + hash + "\"}";
    }

    private String attachedCampaign(long fid) {
        String id = server.createCampaign(fid, "Drop");
        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(A1), CampaignId.parse(id));
        assertThat(server.postJson("/api/campaigns/" + id + "/contract", fid, txBody(deployment.transaction())).status())
                .isEqualTo(200);
        return id;
    }

    @Test
    void meIsTheCallersFid() {
        Reply reply = server.get("/api/me", ALICE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().get("fid").asLong()).isEqualTo(ALICE);
    }

    @Test
    void createThenReadACampaign() {
        Reply created = server.postJson("/api/campaigns", ALICE,
                "{\"name\":\"  Summer Drop \",\"symbol\":\"SUM\",\"description\":\"for fans\",\"baseUri\":\"ipfs://cid/\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode campaign = created.json();
        String id = campaign.get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/campaigns/" + id);
        assertThat(campaign.get("name").asText()).isEqualTo("Summer Drop");
        assertThat(campaign.get("owner").asLong()).isEqualTo(ALICE);
        assertThat(campaign.get("status").asText()).isEqualTo("DRAFT");
        assertThat(campaign.get("chainId").asLong()).isEqualTo(TestServer.CHAIN.value());
        assertThat(campaign.get("contract").isNull()).isTrue();

        Reply read = server.get("/api/campaigns/" + id, ALICE);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("baseUri").asText()).isEqualTo("ipfs://cid/");
        assertThat(read.json().at("/counts/recipients/PENDING").asLong()).isZero();
        assertThat(read.json().at("/counts/batches/FAILED").asLong()).isZero();
    }

    @Test
    void listIsKeysetPaginatedAndOnlyTheCallers() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(server.createCampaign(ALICE, "c" + i));
        }
        server.createCampaign(BOB, "bob's");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = server.get("/api/campaigns?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), ALICE);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(server.get("/api/campaigns", BOB).json().get("items")).hasSize(1);
    }

    @Test
    void deployTransactionIsTheFactoryCallForThisCampaignUntilAttached() {
        String id = server.createCampaign(ALICE, "Drop");
        String key = CampaignKey.of(CampaignId.parse(id)).value();
        Reply reply = server.get("/api/campaigns/" + id + "/deploy-transaction", ALICE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("chainId").asLong()).isEqualTo(84532);
        assertThat(reply.json().get("to").asText()).isEqualTo(server.chain.factoryAddress().value());
        assertThat(reply.json().get("data").asText()).matches("0x[0-9a-f]{136}").contains(key.substring(2));
        assertThat(reply.json().get("value").asText()).isEqualTo("0");
        assertThat(reply.json().get("campaignKey").asText()).isEqualTo(key);
        assertThat(reply.json().get("collection").isNull()).as("no wallet, no prediction").isTrue();

        Reply predicted = server.get("/api/campaigns/" + id + "/deploy-transaction?from=" + A1, ALICE);
        assertThat(predicted.status()).isEqualTo(200);
        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(A1), CampaignId.parse(id));
        assertThat(predicted.json().get("collection").asText()).isEqualTo(deployment.collection().value());
        Reply badFrom = server.get("/api/campaigns/" + id + "/deploy-transaction?from=0x12", ALICE);
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.json().at("/errors/0/field").asText()).isEqualTo("from");

        server.postJson("/api/campaigns/" + id + "/contract", ALICE, txBody(deployment.transaction()));
        Reply after = server.get("/api/campaigns/" + id + "/deploy-transaction", ALICE);
        assertThat(after.status()).isEqualTo(409);
        assertThat(after.json().get("type").asText()).isEqualTo("urn:base-nft:problem:campaign-has-collection");
        assertThat(after.detail()).contains("already has its collection");
    }

    @Test
    void attachContractAnswersNotMinedRejectedAndAttached() {
        String id = server.createCampaign(ALICE, "Drop");
        String path = "/api/campaigns/" + id + "/contract";

        Reply notMined = server.postJson(path, ALICE, txBody(UNMINED));
        assertThat(notMined.status()).isEqualTo(409);
        assertThat(notMined.isProblem()).isTrue();
        assertThat(notMined.json().get("type").asText()).endsWith("not-mined");
        assertThat(notMined.headers().firstValue("Retry-After")).hasValue("2");

        Reply rejected = server.postJson(path, ALICE, txBody(server.chain.recordForeignTransaction()));
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.detail()).contains("not a call to our factory");
        assertThat(rejected.json().at("/errors/0/field").asText()).isEqualTo("txHash");

        Reply reverted = server.postJson(path, ALICE, txBody(server.chain.recordRevertedDeployment()));
        assertThat(reverted.status()).isEqualTo(422);
        assertThat(reverted.detail()).contains("reverted");

        Reply noRole = server.postJson(path, ALICE,
                txBody(server.chain.deployCollectionWithoutMinterRole(Address.parse(A1), CampaignId.parse(id))
                        .transaction()));
        assertThat(noRole.status()).isEqualTo(422);
        assertThat(noRole.detail()).contains("MINTER_ROLE");

        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(A2), CampaignId.parse(id));
        Reply attached = server.postJson(path, ALICE, txBody(deployment.transaction()));
        assertThat(attached.status()).isEqualTo(200);
        assertThat(attached.json().get("contract").asText()).isEqualTo(deployment.collection().value());
        assertThat(attached.json().get("creatorWallet").asText()).isEqualTo(A2);
        assertThat(attached.json().get("deployBlock").asLong()).isEqualTo(server.chain.blockNumber());
        assertThat(server.get("/api/campaigns/" + id, ALICE).json().get("creatorWallet").asText()).isEqualTo(A2);

        Reply same = server.postJson(path, ALICE, txBody(deployment.transaction()));
        assertThat(same.status()).as("the same collection again is fine").isEqualTo(200);
        assertThat(same.json()).isEqualTo(attached.json());

        Reply again = server.postJson(path, ALICE, txBody(server.chain.deployCollection(Address.parse(A3),
                CampaignId.parse(id)).transaction()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).isEqualTo("urn:base-nft:problem:campaign-has-collection");
        assertThat(again.detail()).contains("already has contract");
    }

    @Test
    void aCollectionDeployedForAnotherCampaignIsRefusedWithNothingAttached() {
        String mine = server.createCampaign(ALICE, "Mine");
        String bobs = server.createCampaign(BOB, "Bob's");
        FakeChain.Deployment forMine = server.chain.deployCollection(Address.parse(A1), CampaignId.parse(mine));

        Reply taken = server.postJson("/api/campaigns/" + bobs + "/contract", BOB, txBody(forMine.transaction()));

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("type").asText()).isEqualTo("urn:base-nft:problem:collection-for-another-campaign");
        assertThat(taken.json().get("contract").asText()).isEqualTo(forMine.collection().value());
        assertThat(server.get("/api/campaigns/" + bobs, BOB).json().get("contract").isNull()).isTrue();
        assertThat(server.postJson("/api/campaigns/" + mine + "/contract", ALICE, txBody(forMine.transaction())).status())
                .isEqualTo(200);
    }

    @Test
    void aCollectionAnotherCampaignHasIsRefusedWithNothingAttached() {
        String holder = server.createCampaign(ALICE, "Holder");
        String other = server.createCampaign(ALICE, "Other");
        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(A1), CampaignId.parse(other));
        // Attached to another campaign before collections were bound to theirs (or by a racing request).
        server.storage.campaigns().attachCollection(CampaignId.parse(holder), new CollectionDeployment(
                deployment.collection(), java.util.Optional.empty(), java.util.Optional.empty()));

        Reply taken = server.postJson("/api/campaigns/" + other + "/contract", ALICE, txBody(deployment.transaction()));

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("type").asText()).isEqualTo("urn:base-nft:problem:collection-already-attached");
        assertThat(taken.detail()).doesNotContain(holder);
        assertThat(server.get("/api/campaigns/" + other, ALICE).json().get("contract").isNull()).isTrue();
    }

    @Test
    void csvUploadStoresNewRecipientsAndReportsDuplicates() {
        String id = server.createCampaign(ALICE, "Drop");
        String path = "/api/campaigns/" + id + "/recipients";
        Reply first = server.post(path, ALICE, "text/csv",
                "address,fid\r\n" + A1 + ",101\r\n" + A2.toLowerCase() + "\r\n\r\n" + A1.toLowerCase() + ",102\r\n");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("received").asLong()).isEqualTo(3);
        assertThat(first.json().get("added").asLong()).isEqualTo(2);
        assertThat(first.json().get("duplicatesInUpload").asLong()).isEqualTo(1);
        assertThat(first.json().get("alreadyStored").asLong()).isZero();
        JsonNode dup = first.json().get("duplicateLines").get(0);
        assertThat(dup.get("line").asLong()).isEqualTo(5);
        assertThat(dup.get("firstLine").asLong()).isEqualTo(2);
        assertThat(dup.get("address").asText()).isEqualTo(A1);

        Reply second = server.post(path, ALICE, "text/csv", A2 + "\n" + A3 + "\n");
        assertThat(second.json().get("added").asLong()).isEqualTo(1);
        assertThat(second.json().get("alreadyStored").asLong()).isEqualTo(1);
        assertThat(second.json().get("duplicates").asLong()).isEqualTo(1);
        assertThat(server.recipients.count(CampaignId.parse(id))).isEqualTo(3);

        JsonNode counts = server.get("/api/campaigns/" + id, ALICE).json().at("/counts/recipients");
        assertThat(counts.get("PENDING").asLong()).isEqualTo(3);
    }

    @Test
    void jsonUploadTakesStringsAndObjects() {
        String id = server.createCampaign(ALICE, "Drop");
        Reply reply = server.postJson("/api/campaigns/" + id + "/recipients",
                ALICE, "[\"" + A1 + "\", {\"address\":\"" + A2 + "\",\"fid\":99}, {\"address\":\"" + A3 + "\",\"fid\":null}]");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("added").asLong()).isEqualTo(3);
        JsonNode items = server.get("/api/campaigns/" + id + "/recipients", ALICE).json().get("items");
        assertThat(items).hasSize(3);
        JsonNode withFid = null;
        for (JsonNode item : items) {
            if (item.get("address").asText().equals(A2)) {
                withFid = item;
            }
        }
        assertThat(withFid).isNotNull();
        assertThat(withFid.get("fid").asLong()).isEqualTo(99);
        assertThat(withFid.get("status").asText()).isEqualTo("PENDING");
        assertThat(withFid.get("tokenId").isNull()).isTrue();
    }

    @Test
    void recipientsArePaginatedByAddressAndFilteredByStatus() {
        String id = attachedCampaign(ALICE);
        server.post("/api/campaigns/" + id + "/recipients", ALICE, "text/csv", A1 + "\n" + A2 + "\n" + A3 + "\n");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Reply page = server.get("/api/campaigns/" + id + "/recipients?limit=2" + (cursor == null ? "" : "&cursor="
                    + cursor), ALICE);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("address").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly(A1, A2, Address.parse(A3).value());

        assertThat(server.get("/api/campaigns/" + id + "/recipients?status=PROCESSING", ALICE).json().get("items"))
                .isEmpty();
        server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "");
        assertThat(server.get("/api/campaigns/" + id + "/recipients?status=processing", ALICE).json().get("items"))
                .hasSize(3);
        assertThat(server.get("/api/campaigns/" + id + "/recipients?status=PENDING", ALICE).json().get("items"))
                .isEmpty();
    }

    @Test
    void distributeNeedsTheContractThenPlansAndEnqueues() {
        String draft = server.createCampaign(ALICE, "Draft");
        Reply notReady = server.post("/api/campaigns/" + draft + "/distribute", ALICE, null, "");
        assertThat(notReady.status()).isEqualTo(409);
        assertThat(notReady.json().get("type").asText()).endsWith("not-ready");
        assertThat(notReady.detail()).contains("no collection contract");

        String id = attachedCampaign(ALICE);
        server.post("/api/campaigns/" + id + "/recipients", ALICE, "text/csv", A1 + "\n" + A2 + "\n" + A3 + "\n");
        Reply started = server.post("/api/campaigns/" + id + "/distribute", ALICE, "application/json", "{}");
        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().get("plannedBatches").asInt()).isEqualTo(2);
        assertThat(started.json().get("plannedRecipients").asLong()).isEqualTo(3);
        assertThat(started.json().get("enqueuedBatches").asInt()).isEqualTo(2);
        assertThat(server.queue.jobIds()).hasSize(2);
        JsonNode campaign = server.get("/api/campaigns/" + id, ALICE).json();
        assertThat(campaign.get("status").asText()).isEqualTo("PROCESSING");
        assertThat(campaign.at("/counts/batches/PENDING").asLong()).isEqualTo(2);
        assertThat(campaign.at("/counts/recipients/PROCESSING").asLong()).isEqualTo(3);
    }

    @Test
    void distributionsShowBatchesTransactionsAndErrorsAndRetryRequeuesFailedOnes() {
        String id = attachedCampaign(ALICE);
        server.post("/api/campaigns/" + id + "/recipients", ALICE, "text/csv", A1 + "\n" + A2 + "\n" + A3 + "\n");
        server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "");
        // What a worker leaves after a reverted mint: claimed, transaction written ahead, then failed.
        Batch first = server.storage.batches().byCampaign(CampaignId.parse(id)).get(0);
        Claim claim = new Claim(first.id(), "worker-1", server.clock.instant(), server.clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(server.storage.batches().claim(claim)).isPresent();
        TxHash hash = new TxHash("0x" + "cd".repeat(32));
        Address minter = Address.parse(A3);
        StoredTransaction written = server.storage.ledger().writeAhead(claim, minter, nonce -> new SignedTransaction(hash,
                "0x02f8", minter, nonce, 210_000, new Fees(Wei.gwei(3), Wei.gwei(1))));
        assertThat(server.storage.batches().fail(claim, "execution reverted: EnforcedPause()")).isTrue();

        Reply distributions = server.get("/api/campaigns/" + id + "/distributions", ALICE);
        assertThat(distributions.status()).isEqualTo(200);
        JsonNode batches = distributions.json().get("items");
        assertThat(batches).hasSize(2);
        JsonNode failed = batches.get(0);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).contains("EnforcedPause");
        assertThat(failed.get("recipientCount").asInt()).isEqualTo(2);
        assertThat(failed.get("batchKey").asText()).startsWith("0x").hasSize(66);
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        assertThat(failed.get("nonce").asLong()).isEqualTo(written.nonce());
        assertThat(failed.at("/transactions/0/hash").asText()).isEqualTo(hash.value());
        assertThat(failed.at("/transactions/0/nonce").asLong()).isEqualTo(written.nonce());
        assertThat(failed.at("/transactions/0/maxFeePerGas").asText()).isEqualTo("3000000000");
        assertThat(batches.get(1).get("status").asText()).isEqualTo("PENDING");

        Reply retried = server.post("/api/campaigns/" + id + "/retry", ALICE, null, "");
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json().get("requeued").asInt()).isEqualTo(1);
        Batch requeued = server.storage.batches().find(first.id()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(BatchStatus.PENDING);
        assertThat(requeued.run()).isEqualTo(1);
        assertThat(server.queue.jobIds()).contains(first.jobId(), requeued.jobId());
        assertThat(server.post("/api/campaigns/" + id + "/retry", ALICE, null, "").json().get("requeued").asInt()).isZero();
    }

    @Test
    void anotherOwnersCampaignIsNotFoundOnEveryRouteAndNothingChanges() {
        String id = attachedCampaign(ALICE);
        server.post("/api/campaigns/" + id + "/recipients", ALICE, "text/csv", A1 + "\n");
        String base = "/api/campaigns/" + id;
        List<Reply> replies = List.of(
                server.get(base, BOB),
                server.get(base + "/deploy-transaction", BOB),
                server.get(base + "/recipients", BOB),
                server.get(base + "/distributions", BOB),
                server.postJson(base + "/contract", BOB, txBody(server.chain.deployCollection(Address.parse(A2),
                        CampaignId.parse(id)).transaction())),
                server.post(base + "/recipients", BOB, "text/csv", A2 + "\n"),
                server.post(base + "/distribute", BOB, null, ""),
                server.post(base + "/retry", BOB, null, ""));
        for (Reply reply : replies) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(404);
            assertThat(reply.isProblem()).isTrue();
            assertThat(reply.detail()).isEqualTo("campaign " + id + " not found");
        }
        assertThat(server.recipients.count(CampaignId.parse(id))).isEqualTo(1);
        assertThat(server.queue.jobIds()).isEmpty();
        assertThat(server.get(base, ALICE).json().get("status").asText()).isEqualTo("DRAFT");
        // A campaign that does not exist at all reads the same as someone else's.
        Reply missing = server.get("/api/campaigns/00000000-0000-0000-0000-000000000001", BOB);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void apiRoutesNeedAuthentication() {
        for (String path : List.of("/api/me", "/api/campaigns", "/api/campaigns/00000000-0000-0000-0000-000000000001")) {
            Reply reply = server.getAnonymous(path);
            assertThat(reply.status()).as(path).isEqualTo(401);
            assertThat(reply.isProblem()).isTrue();
            assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(reply.detail()).contains("Authorization");
        }
        Reply post = server.send(HttpRequest.newBuilder(server.uri("/api/campaigns"))
                .header("Idempotency-Key", "k1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"symbol\":\"X\"}")).build());
        assertThat(post.status()).isEqualTo(401);
        assertThat(server.campaignCount(ALICE)).isZero();
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        Reply missing = server.get("/api/nothing-here", ALICE);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.isProblem()).as(missing.contentType()).isTrue();
        Reply wrongMethod = server.send(HttpRequest.newBuilder(server.uri("/api/me")).header("Authorization",
                TestServer.dev(ALICE)).DELETE().build());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.isProblem()).as(wrongMethod.contentType()).isTrue();
    }
}
