package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.MintedToken;
import dev.basenft.core.model.ReceiptFees;
import dev.basenft.core.model.TokenId;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.testing.FakeChain;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The estimate, {@code /distributions} pages with fees paid, and the CSV export through a real server over core's
 * in-memory ports (batch size 2): their shapes, their refusals, and what the export does when the store fails mid-way.
 * The same routes on PostgreSQL, Redis and anvil: app's CostAndResultsEndToEndTest.
 */
class CostAndExportRoutesTest {

    static final long ALICE = 7;
    static final long BOB = 8;

    TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String campaignWith(List<Address> recipients) {
        String id = server.createCampaign(ALICE, "Drop");
        FakeChain.Deployment deployment = server.chain.deployCollection(Address.parse(CampaignRoutesTest.A1),
                CampaignId.parse(id));
        assertThat(server.postJson("/api/campaigns/" + id + "/contract", ALICE,
                "{\"txHash\":\"" + deployment.transaction() + "\"}").status()).isEqualTo(200);
        String csv = "address,fid\n" + IntStream.range(0, recipients.size())
                .mapToObj(i -> recipients.get(i) + (i % 2 == 0 ? "," + (i + 1) : ",")).collect(Collectors.joining("\n"));
        assertThat(server.post("/api/campaigns/" + id + "/recipients", ALICE, "text/csv", csv).status()).isEqualTo(200);
        return id;
    }

    private static List<Address> addresses(int count) {
        List<Address> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(Address.parse(String.format("0x%040x", 0x1000 + i)));
        }
        return all;
    }

    /** Completes a batch as a worker would, with a receipt that reports its fees. */
    private void mint(Batch batch, long firstToken, ReceiptFees fees) {
        Claim claim = new Claim(batch.id(), "w", server.clock.instant(), server.clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(server.storage.batches().claim(claim)).isPresent();
        List<MintedToken> tokens = new ArrayList<>();
        for (int i = 0; i < batch.recipients().size(); i++) {
            tokens.add(new MintedToken(batch.recipients().get(i), TokenId.of(firstToken + i)));
        }
        assertThat(server.storage.batches().complete(batch.id(), new MintReceipt(new TxHash(String.format("0x%064x",
                firstToken)), true, 100 + firstToken, 100_000, tokens, ChainFailure.NONE, Optional.empty(),
                Optional.of(fees)))).isTrue();
    }

    @Test
    void distributionsArePagedWithWhatEachBatchAndTheCampaignPaid() {
        String id = campaignWith(addresses(5));
        server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "");
        List<Batch> batches = server.storage.batches().byCampaign(CampaignId.parse(id));
        mint(batches.get(0), 1, new ReceiptFees(Wei.gwei(2), Optional.of(Wei.of(7))));
        mint(batches.get(2), 3, new ReceiptFees(Wei.gwei(3), Optional.empty()));

        Reply first = server.get("/api/campaigns/" + id + "/distributions?limit=2", ALICE);
        assertThat(first.status()).isEqualTo(200);
        JsonNode items = first.json().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).has("recipients")).as("addresses are not inlined").isFalse();
        assertThat(items.get(0).get("effectiveGasPrice").asText()).isEqualTo("2000000000");
        assertThat(items.get(0).get("l1Fee").asText()).isEqualTo("7");
        assertThat(items.get(0).get("feePaid").asText()).isEqualTo("200000000000007");
        assertThat(items.get(1).get("feePaid").isNull()).as("not mined yet").isTrue();
        assertThat(items.get(1).get("transactions")).isEmpty();
        JsonNode paid = first.json().get("feesPaid");
        assertThat(paid.get("batches").asLong()).isEqualTo(2);
        assertThat(paid.get("gasUsed").asLong()).isEqualTo(200_000);
        assertThat(paid.get("l2FeesWei").asText()).isEqualTo("500000000000000");
        assertThat(paid.get("l1FeesWei").asText()).isEqualTo("7");
        assertThat(paid.get("totalWei").asText()).isEqualTo("500000000000007");

        Reply last = server.get("/api/campaigns/" + id + "/distributions?limit=2&cursor="
                + first.json().get("nextCursor").asText(), ALICE);
        assertThat(last.json().get("items")).hasSize(1);
        assertThat(last.json().at("/items/0/index").asInt()).isEqualTo(2);
        assertThat(last.json().at("/items/0/l1Fee").isNull()).as("no L1 fee reported").isTrue();
        assertThat(last.json().get("nextCursor").isNull()).isTrue();
        assertThat(last.json().get("feesPaid")).isEqualTo(paid);
    }

    @Test
    void theExportHasEveryRecipientWithItsResultAndBatchAndQuotesErrors() {
        List<Address> recipients = addresses(5);
        String id = campaignWith(recipients);
        server.post("/api/campaigns/" + id + "/distribute", ALICE, null, "");
        List<Batch> batches = server.storage.batches().byCampaign(CampaignId.parse(id));
        mint(batches.get(0), 11, new ReceiptFees(Wei.gwei(1), Optional.empty()));
        Claim claim = new Claim(batches.get(1).id(), "w", server.clock.instant(),
                server.clock.instant().plus(Duration.ofMinutes(1)));
        server.storage.batches().claim(claim);
        server.storage.batches().fail(claim, "Transaction reverted: \"paused\", try later\nsecond line");

        Reply csv = server.get("/api/campaigns/" + id + "/recipients.csv", ALICE);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv").containsIgnoringCase("charset=utf-8");
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"campaign-" + id + "-recipients.csv\"");
        String error = "\"Transaction reverted: \"\"paused\"\", try later\nsecond line\"";
        assertThat(csv.body()).isEqualTo("address,fid,status,token_id,tx_hash,batch,error\r\n"
                + recipients.get(0) + ",1,COMPLETED,11," + String.format("0x%064x", 11) + ",0,\r\n"
                + recipients.get(1) + ",,COMPLETED,12," + String.format("0x%064x", 11) + ",0,\r\n"
                + recipients.get(2) + ",3,FAILED,,,1," + error + "\r\n"
                + recipients.get(3) + ",,FAILED,,,1," + error + "\r\n"
                + recipients.get(4) + ",5,PROCESSING,,,2,\r\n");
    }

    @Test
    void anExportThatFailsAfterItsFirstBytesIsCutShortNotEndedEarly() throws Exception {
        // Enough rows to pass the 64 KiB write buffer, so the 200 and the first rows are on the wire when it fails.
        List<Address> recipients = addresses(3_000);
        String id = campaignWith(recipients);
        server.recipients.failExportAfter(2_000);

        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/campaigns/" + id + "/recipients.csv"))
                .header("Authorization", TestServer.dev(ALICE)).timeout(Duration.ofSeconds(20)).GET().build();
        // Cut short, not hung until the client gives up.
        assertThatThrownBy(() -> server.client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class).isNotInstanceOf(java.net.http.HttpTimeoutException.class);

        // Failing before the first bytes is still a problem document.
        server.recipients.failExportAfter(0);
        Reply early = server.get("/api/campaigns/" + id + "/recipients.csv", ALICE);
        assertThat(early.status()).isEqualTo(500);
        assertThat(early.isProblem()).isTrue();
    }

    @Test
    void theEstimateAndTheExportAnswerOnlyTheOwnerAndRefuseBadIds() {
        String id = campaignWith(addresses(3));

        Reply estimate = server.get("/api/campaigns/" + id + "/estimate", ALICE);
        assertThat(estimate.status()).isEqualTo(200);
        JsonNode body = estimate.json();
        assertThat(body.get("recipients").asLong()).isEqualTo(3);
        assertThat(body.get("gas").asLong()).isEqualTo(TestServer.gasOf(3));
        assertThat(body.get("totalEth").asText()).isEqualTo(ether(body.get("totalWei").asText()));
        assertThat(body.at("/minter/address").asText()).isEqualTo(server.chain.minter().value());
        assertThat(body.at("/minter/sufficient").asBoolean()).isTrue();
        assertThat(body.at("/minter/shortfallWei").asText()).isEqualTo("0");

        for (String route : List.of("/estimate", "/recipients.csv", "/distributions")) {
            Reply foreign = server.get("/api/campaigns/" + id + route, BOB);
            assertThat(foreign.status()).as(route).isEqualTo(404);
            assertThat(foreign.isProblem()).as(route).isTrue();
            assertThat(foreign.detail()).isEqualTo("campaign " + id + " not found");
            Reply malformed = server.get("/api/campaigns/nope" + route, ALICE);
            assertThat(malformed.status()).as(route).isEqualTo(400);
            assertThat(malformed.json().at("/errors/0/field").asText()).isEqualTo("id");
            assertThat(server.getAnonymous("/api/campaigns/" + id + route).status()).as(route).isEqualTo(401);
        }
        for (String query : List.of("?limit=0", "?limit=201", "?limit=-1", "?cursor=%25%25", "?cursor=YjE6LTE",
                "?cursor=YjE6")) {
            Reply refused = server.get("/api/campaigns/" + id + "/distributions" + query, ALICE);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.json().at("/errors/0/field").asText()).as(query)
                    .isEqualTo(query.startsWith("?limit") ? "limit" : "cursor");
        }
    }

    /** Wei as ether, the way a reader checks it: 18 decimals, trailing zeros dropped. */
    private static String ether(String wei) {
        java.math.BigDecimal ether = new java.math.BigDecimal(new java.math.BigInteger(wei), 18).stripTrailingZeros();
        return ether.signum() == 0 ? "0" : ether.toPlainString();
    }
}
