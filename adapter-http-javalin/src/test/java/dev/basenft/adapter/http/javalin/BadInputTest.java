package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.core.model.CampaignId;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A corpus of bad input: every item gets a 4xx problem document with a clear message, and nothing is stored (checked through
 * the read routes and the ports).
 */
class BadInputTest {

    static final long ALICE = 7;
    static final String GOOD = "0x52908400098527886E0F7030069857D2E4169EE7";
    static final int JSON_LIMIT = 2048;
    static final int UPLOAD_LIMIT = 8192;

    TestServer server;
    String campaign;

    @BeforeEach
    void start() {
        server = new TestServer(null, HttpSettings.builder().host("127.0.0.1").port(0).maxJsonBodyBytes(JSON_LIMIT)
                .maxUploadBytes(UPLOAD_LIMIT).build(), List.of());
        campaign = server.createCampaign(ALICE, "Drop");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertNothingStored() {
        assertThat(server.campaignCount(ALICE)).as("campaigns").isEqualTo(1);
        assertThat(server.recipients.count(CampaignId.parse(campaign))).as("recipients").isZero();
        assertThat(server.recipients.addAllCalls()).as("addAll never reached").isZero();
        Reply read = server.get("/api/campaigns/" + campaign + "/recipients", ALICE);
        assertThat(read.json().get("items")).isEmpty();
        assertThat(server.get("/api/campaigns/" + campaign, ALICE).json().at("/counts/recipients/PENDING").asLong()).isZero();
    }

    private static Reply assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.isProblem()).as(reply.contentType()).isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.detail()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at dev.basenft");
        return reply;
    }

    @Nested
    class CreateCampaign {

        private Reply create(String json) {
            return server.postJson("/api/campaigns", ALICE, json);
        }

        @Test
        void malformedJson() {
            Reply reply = assertProblem(create("{\"name\": \"x\", "), 400);
            assertThat(reply.detail()).contains("not valid JSON").contains("line 1");
            assertProblem(create("{name: 'x'}"), 400);
            assertProblem(create("{\"name\":\"x\",\"symbol\":\"S\"} trailing"), 400);
            assertNothingStored();
        }

        @Test
        void emptyNullAndNonObjectBodies() {
            assertThat(assertProblem(create(""), 400).detail()).contains("empty");
            assertThat(assertProblem(create("null"), 400).detail()).contains("null");
            assertThat(assertProblem(create("[]"), 400).detail()).contains("JSON object");
            assertProblem(create("\"name\""), 400);
            assertProblem(create("42"), 400);
            assertNothingStored();
        }

        @Test
        void wrongTypesNameTheField() {
            record Case(String json, String field, String expected) {
            }
            for (Case c : List.of(
                    new Case("{\"name\":123,\"symbol\":\"S\"}", "/name", "a string"),
                    new Case("{\"name\":true,\"symbol\":\"S\"}", "/name", "a string"),
                    new Case("{\"name\":\"x\",\"symbol\":[\"S\"]}", "/symbol", "a string"),
                    new Case("{\"name\":\"x\",\"symbol\":\"S\",\"description\":{}}", "/description", "a string"),
                    new Case("{\"name\":\"x\",\"symbol\":\"S\",\"baseUri\":1.5}", "/baseUri", "a string"))) {
                Reply reply = assertProblem(create(c.json()), 400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(c.json()).isEqualTo(c.field());
                assertThat(reply.detail()).as(c.json()).contains(c.expected()).contains(c.field().substring(1));
            }
            assertNothingStored();
        }

        @Test
        void unknownFieldsAreRefusedByName() {
            Reply reply = assertProblem(create("{\"name\":\"x\",\"symbol\":\"S\",\"owner\":1}"), 400);
            assertThat(reply.detail()).contains("unknown field 'owner'").contains("allowed fields: name, symbol");
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("/owner");
            assertNothingStored();
        }

        @Test
        void duplicateKeysAreRefused() {
            assertThat(assertProblem(create("{\"name\":\"x\",\"name\":\"y\",\"symbol\":\"S\"}"), 400).detail())
                    .contains("Duplicate field 'name'");
            assertNothingStored();
        }

        @Test
        void invalidValuesNameTheField() {
            record Case(String json, String field, String words) {
            }
            for (Case c : List.of(
                    new Case("{\"symbol\":\"S\"}", "name", "name must not be null"),
                    new Case("{\"name\":\"   \",\"symbol\":\"S\"}", "name", "name must not be blank"),
                    new Case("{\"name\":\"x\",\"symbol\":\"" + "S".repeat(17) + "\"}", "symbol", "at most 16"),
                    new Case("{\"name\":\"x\\u0000y\",\"symbol\":\"S\"}", "name", "control characters"),
                    new Case("{\"name\":\"x\",\"symbol\":\"S\",\"description\":\"" + "d".repeat(2001) + "\"}",
                            "description", "at most 2000"))) {
                Reply reply = assertProblem(create(c.json()), 400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(c.json()).isEqualTo(c.field());
                assertThat(reply.detail()).contains(c.words());
            }
            assertNothingStored();
        }

        @Test
        void hugeBodyIs413() {
            String huge = "{\"name\":\"" + "x".repeat(JSON_LIMIT * 4) + "\",\"symbol\":\"S\"}";
            Reply reply = assertProblem(create(huge), 413);
            assertThat(reply.detail()).contains(Integer.toString(JSON_LIMIT));
            assertThat(reply.json().get("limit").asLong()).isEqualTo(JSON_LIMIT);
            // Refused by its declared length alone: the server never asks for the body ("100 Continue").
            assertProblem(server.postHeadOnly("/api/campaigns", ALICE, "application/json", JSON_LIMIT * 4L), 413);
            assertNothingStored();
        }

        @Test
        void hugeChunkedBodyIs413() {
            byte[] huge = ("{\"name\":\"" + "x".repeat(JSON_LIMIT * 4) + "\",\"symbol\":\"S\"}")
                    .getBytes(StandardCharsets.UTF_8);
            Reply reply = server.send(HttpRequest.newBuilder(server.uri("/api/campaigns"))
                    .header("Authorization", TestServer.dev(ALICE)).header("Idempotency-Key", "chunked")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build());
            assertProblem(reply, 413);
            assertNothingStored();
        }

        @Test
        void otherContentTypesAre415() {
            Reply reply = assertProblem(server.post("/api/campaigns", ALICE, "text/plain", "{\"name\":\"x\",\"symbol\":\"S\"}"),
                    415);
            assertThat(reply.detail()).contains("application/json");
            assertProblem(server.post("/api/campaigns", ALICE, "application/json; charset=latin1",
                    "{\"name\":\"x\",\"symbol\":\"S\"}"), 415);
            assertNothingStored();
        }

        @Test
        void sqlLookingAndOddUnicodeTextIsStoredVerbatimNotInterpreted() {
            String name = "Robert'); DROP TABLE campaigns;-- \uD83D\uDE80 \u202Eevil";
            Reply reply = create("{\"name\":" + TestServer.JSON.valueToTree(name) + ",\"symbol\":\"X\"}");
            assertThat(reply.status()).isEqualTo(201);
            assertThat(server.get("/api/campaigns/" + reply.json().get("id").asText(), ALICE).json().get("name").asText())
                    .isEqualTo(name);
        }
    }

    @Nested
    class Upload {

        private Reply csv(String body) {
            return server.post("/api/campaigns/" + campaign + "/recipients", ALICE, "text/csv", body);
        }

        private Reply json(String body) {
            return server.postJson("/api/campaigns/" + campaign + "/recipients", ALICE, body);
        }

        private List<String> lineErrors(Reply reply) {
            List<String> errors = new ArrayList<>();
            for (JsonNode e : reply.json().get("errors")) {
                errors.add(e.path("line").asLong() + ": " + e.get("detail").asText());
            }
            return errors;
        }

        @Test
        void oneBadLineRefusesTheWholeUploadListingEveryBadLine() {
            String body = String.join("\n",
                    "address,fid",                                           // 1 header
                    GOOD + ",1",                                             // 2 fine
                    "0x1234",                                                // 3 too short
                    "0x52908400098527886e0F7030069857D2E4169EE7",            // 4 bad checksum (mixed case)
                    "0x0000000000000000000000000000000000000000",            // 5 zero address
                    "0x52908400098527886E0F7030069857D2E4169EG7",            // 6 non-hex
                    GOOD.toLowerCase() + ",0",                               // 7 fid zero
                    GOOD + ",-5",                                            // 8 negative fid
                    GOOD + ",abc",                                           // 9 fid not a number
                    GOOD + ",1,extra",                                       // 10 three columns
                    "\"" + GOOD,                                             // 11 unterminated quote
                    "0x'; DROP TABLE recipients;--",                         // 12 SQL-looking
                    "");
            Reply reply = assertProblem(csv(body), 422);
            assertThat(reply.json().get("type").asText()).endsWith("invalid-recipients");
            assertThat(reply.detail()).contains("10 of 11 line(s) are invalid").contains("nothing was stored");
            List<String> errors = lineErrors(reply);
            assertThat(errors).hasSize(10);
            assertThat(errors.get(0)).startsWith("3: ").contains("40 hex digits");
            assertThat(errors.get(1)).startsWith("4: ").contains("checksum").contains(GOOD);
            assertThat(errors.get(2)).startsWith("5: ").contains("zero address");
            assertThat(errors.get(3)).startsWith("6: ").contains("non-hex character 'G'");
            assertThat(errors.get(4)).startsWith("7: ").contains("positive");
            assertThat(errors.get(5)).startsWith("8: ").contains("positive");
            assertThat(errors.get(6)).startsWith("9: ").contains("positive integer, got 'abc'");
            assertThat(errors.get(7)).startsWith("10: ").contains("3 columns");
            assertThat(errors.get(8)).startsWith("11: ").contains("unterminated");
            assertThat(errors.get(9)).startsWith("12: ");
            assertThat(reply.json().get("invalidLines").asLong()).isEqualTo(10);
            assertNothingStored();
        }

        @ParameterizedTest
        @ValueSource(strings = {"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "=HYPERLINK(\"http://x\")"})
        void formulaCellsAreRefusedWithAClearReason(String cell) {
            Reply reply = assertProblem(csv(GOOD + "\n" + cell + "\n"), 422);
            assertThat(lineErrors(reply)).singleElement().asString().startsWith("2: ").contains("formula")
                    .contains("CSV injection");
            assertNothingStored();
        }

        @Test
        void formulaInTheFidColumnToo() {
            Reply reply = assertProblem(csv(GOOD + ",=1+1\n"), 422);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("fid");
            assertThat(reply.detail()).contains("1 of 1");
            assertThat(lineErrors(reply).get(0)).contains("formula");
            assertNothingStored();
        }

        @Test
        void oddUnicodeIsRefusedNamingTheCharacter() {
            String fullWidth = "0x" + "\uFF10".repeat(39) + "\uFF11";
            String arabicIndic = "0x\u0661\u0662" + "0".repeat(38);
            String zeroWidth = "0x5290840009\u200B8527886E0F7030069857D2E4169EE";
            String cyrillicA = "0x52908400098527886E0F7030069857D2E4169EE\u0430";
            Reply reply = assertProblem(csv(String.join("\n", fullWidth, arabicIndic, zeroWidth, cyrillicA, GOOD)), 422);
            List<String> errors = lineErrors(reply);
            assertThat(errors).hasSize(4);
            assertThat(errors.get(0)).startsWith("1: ").contains("U+FF10").contains("plain ASCII");
            assertThat(errors.get(1)).startsWith("2: ").contains("U+0661");
            assertThat(errors.get(2)).startsWith("3: ").contains("U+200B");
            assertThat(errors.get(3)).startsWith("4: ").contains("U+0430");
            assertNothingStored();
        }

        @Test
        void invalidUtf8Is400() {
            byte[] body = (GOOD + "\n\u00ff").getBytes(StandardCharsets.ISO_8859_1);
            Reply reply = server.send(HttpRequest.newBuilder(server.uri("/api/campaigns/" + campaign + "/recipients"))
                    .header("Authorization", TestServer.dev(ALICE)).header("Idempotency-Key", UUID.randomUUID().toString())
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(assertProblem(reply, 400).detail()).contains("UTF-8");
            assertNothingStored();
        }

        @Test
        void badHeaderAndEmptyUploads() {
            assertThat(lineErrors(assertProblem(csv("address,email\n" + GOOD + "\n"), 422)).get(0)).contains("header");
            assertThat(assertProblem(csv(""), 422).body()).contains("no recipients");
            assertThat(assertProblem(csv("address,fid\n\n\n"), 422).body()).contains("no recipients");
            assertThat(assertProblem(json("[]"), 422).body()).contains("no recipients");
            assertNothingStored();
        }

        @Test
        void jsonThatIsNotAnArrayOfRecipients() {
            assertThat(assertProblem(json("{\"address\":\"" + GOOD + "\"}"), 400).detail()).contains("JSON array");
            assertThat(assertProblem(json("[\"" + GOOD + "\""), 400).detail()).contains("not valid JSON");
            assertProblem(json("[\"" + GOOD + "\"] []"), 400);
            assertProblem(json("[{\"address\":\"" + GOOD + "\",\"address\":\"" + GOOD + "\"}]"), 400);
            assertNothingStored();
        }

        @Test
        void jsonEntriesWithWrongTypesOrUnknownFieldsNameThePointer() {
            Reply reply = assertProblem(json("[\"" + GOOD + "\", {\"address\":1}, {\"address\":\"" + GOOD
                    + "\",\"fid\":\"5\"}, {\"address\":\"" + GOOD + "\",\"nickname\":\"x\"}, {\"fid\":3}, 42,"
                    + " {\"address\":\"" + GOOD + "\",\"fid\":1.5}, {\"address\":\"" + GOOD + "\",\"fid\":-1},"
                    + " \"=1+1\"]"), 422);
            List<String> fields = new ArrayList<>();
            reply.json().get("errors").forEach(e -> fields.add(e.get("line").asLong() + " " + e.get("field").asText()));
            assertThat(fields).containsExactly("2 /1/address", "3 /2/fid", "4 /3/nickname", "5 /4/address", "6 /5",
                    "7 /6/fid", "8 fid", "9 /8");
            assertThat(reply.body()).contains("unknown field 'nickname'").contains("address is required");
            assertNothingStored();
        }

        @Test
        void hugeUploadIs413AndStoresNothing() {
            StringBuilder body = new StringBuilder();
            while (body.length() <= UPLOAD_LIMIT * 2) {
                body.append(GOOD).append('\n');
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
            // A sized upload over the limit is refused by its head alone, before the client sends any of the body (curl
            // sends "Expect: 100-continue" for large bodies): the answer is the 413 problem, never "100 Continue".
            Reply byHead = server.postHeadOnly("/api/campaigns/" + campaign + "/recipients", ALICE, "text/csv", bytes.length);
            assertProblem(byHead, 413);
            assertThat(byHead.detail()).contains(Integer.toString(UPLOAD_LIMIT));
            // Each oversized send on a connection of its own: the server closes one it refused mid-body, and a pooled client
            // would fail the next request on it before it reached the server.
            refusedAsTooLarge(() -> server.sendOnNewConnection(HttpRequest.newBuilder(server.uri("/api/campaigns/" + campaign
                    + "/recipients")).header("Authorization", TestServer.dev(ALICE)).header("Idempotency-Key", "sized-sent")
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
            refusedAsTooLarge(() -> server.sendOnNewConnection(HttpRequest.newBuilder(server.uri("/api/campaigns/" + campaign + "/recipients"))
                    .header("Authorization", TestServer.dev(ALICE)).header("Idempotency-Key", "chunked-upload")
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build()));
            StringBuilder array = new StringBuilder("[");
            while (array.length() <= UPLOAD_LIMIT * 2) {
                array.append('"').append(GOOD).append("\",");
            }
            byte[] json = (array + "\"" + GOOD + "\"]").getBytes(StandardCharsets.US_ASCII);
            refusedAsTooLarge(() -> server.sendOnNewConnection(HttpRequest.newBuilder(server.uri("/api/campaigns/" + campaign + "/recipients"))
                    .header("Authorization", TestServer.dev(ALICE)).header("Idempotency-Key", "chunked-json")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))).build()));
            assertNothingStored();
        }

        /**
         * A chunked body has no length to refuse up front: the server answers 413 mid-stream and closes, and the client may
         * see the close before it reads the answer (an HTTP/1.1 race). Either is a refusal; what matters is nothing stored.
         */
        private void refusedAsTooLarge(java.util.function.Supplier<Reply> send) {
            Reply reply;
            try {
                reply = send.get();
            } catch (java.io.UncheckedIOException connectionCutByServer) {
                return;
            }
            assertProblem(reply, 413);
        }

        @Test
        void otherContentTypesAre415() {
            assertThat(assertProblem(server.post("/api/campaigns/" + campaign + "/recipients", ALICE, "text/plain", GOOD),
                    415).detail()).contains("text/csv or application/json");
            assertNothingStored();
        }

        @Test
        void manyBadLinesAreCountedAndTheFirstHundredListed() {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                body.append("bad").append(i).append('\n');
            }
            Reply reply = assertProblem(csv(body.toString()), 422);
            assertThat(reply.json().get("errors")).hasSize(100);
            assertThat(reply.json().get("invalidLines").asLong()).isEqualTo(150);
            assertThat(reply.detail()).contains("150 of 150").contains("first 100");
            assertNothingStored();
        }
    }

    @Nested
    class Parameters {

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "201", "abc", "1.5", "99999999999", "+5", "%D9%A1%D9%A0", "%EF%BC%95"})
        void badLimit(String limit) {
            Reply reply = assertProblem(server.get("/api/campaigns?limit=" + limit, ALICE), 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("limit");
        }

        @ParameterizedTest
        @ValueSource(strings = {"garbage", "%3D%3D", "YzE6bm90LWEtdXVpZA", "cjE6MHgxMjM"})
        void badCursor(String cursor) {
            Reply reply = assertProblem(server.get("/api/campaigns?cursor=" + cursor, ALICE), 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("cursor");
            assertProblem(server.get("/api/campaigns/" + campaign + "/recipients?cursor=" + cursor, ALICE), 400);
        }

        @Test
        void aCursorOfOneListIsNotAcceptedByAnother() {
            for (int i = 0; i < 3; i++) {
                server.createCampaign(ALICE, "c" + i);
            }
            String campaignCursor = server.get("/api/campaigns?limit=1", ALICE).json().get("nextCursor").asText();
            assertProblem(server.get("/api/campaigns/" + campaign + "/recipients?cursor=" + campaignCursor, ALICE), 400);
        }

        @Test
        void badStatus() {
            Reply reply = assertProblem(server.get("/api/campaigns/" + campaign + "/recipients?status=DONE", ALICE), 400);
            assertThat(reply.detail()).contains("PENDING, PROCESSING, COMPLETED, FAILED");
        }

        @ParameterizedTest
        @ValueSource(strings = {"not-a-uuid", "1", "00000000-0000-0000-0000-00000000000G", "'%20OR%201=1--"})
        void badCampaignId(String id) {
            Reply reply = assertProblem(server.get("/api/campaigns/" + id, ALICE), 400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("id");
        }

        @Test
        void badTxHash() {
            for (String body : List.of("{\"txHash\":\"0x12\"}", "{\"txHash\":null}", "{}", "{\"txHash\":\"0x" + "zz".repeat(32)
                    + "\"}")) {
                Reply reply = assertProblem(server.postJson("/api/campaigns/" + campaign + "/contract", ALICE, body), 400);
                assertThat(reply.json().at("/errors/0/field").asText()).as(body).isEqualTo("txHash");
            }
            assertProblem(server.postJson("/api/campaigns/" + campaign + "/contract", ALICE, "{\"txHash\":5}"), 400);
        }

        @Test
        void distributeAndRetryTakeNoFields() {
            Reply reply = assertProblem(server.postJson("/api/campaigns/" + campaign + "/distribute", ALICE,
                    "{\"force\":true}"), 400);
            assertThat(reply.detail()).contains("unknown field 'force'");
            assertProblem(server.postJson("/api/campaigns/" + campaign + "/retry", ALICE, "[1]"), 400);
        }
    }
}
