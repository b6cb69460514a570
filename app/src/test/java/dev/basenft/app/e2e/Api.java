package dev.basenft.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The product's HTTP API as a client sees it: real requests to a real server, with dev auth as one FID (1 unless given).
 * Thread-safe.
 */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final long fid;

    Api(int port) {
        this(port, 1);
    }

    /** As the creator with Farcaster id {@code fid}. */
    Api(int port, long fid) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.fid = fid;
    }

    /** An answer whatever its status, for the refusals a test expects. */
    record Answer(int status, JsonNode body) {
    }

    String createCampaign(String name) {
        return post("/api/campaigns", "application/json",
                json(Map.of("name", name, "symbol", "E2E", "baseUri", "ipfs://e2e/")), 201).get("id").asText();
    }

    JsonNode deployTransaction(String campaign) {
        return get("/api/campaigns/" + campaign + "/deploy-transaction");
    }

    /** With the wallet that will send it, so the answer predicts the collection. */
    JsonNode deployTransaction(String campaign, Address from) {
        return get("/api/campaigns/" + campaign + "/deploy-transaction?from=" + from);
    }

    JsonNode attach(String campaign, String txHash) {
        return post("/api/campaigns/" + campaign + "/contract", "application/json", json(Map.of("txHash", txHash)), 200);
    }

    /** {@code POST …/contract}, whatever it answers. */
    Answer tryAttach(String campaign, String txHash) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/campaigns/" + campaign + "/contract"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("txHash", txHash))));
        HttpResponse<String> response = exchange(request);
        return new Answer(response.statusCode(), readTree(response.body()));
    }

    JsonNode uploadCsv(String campaign, String csv) {
        return post("/api/campaigns/" + campaign + "/recipients", "text/csv", csv, 200);
    }

    JsonNode distribute(String campaign) {
        return post("/api/campaigns/" + campaign + "/distribute", "application/json", "{}", 202);
    }

    JsonNode retry(String campaign) {
        return post("/api/campaigns/" + campaign + "/retry", "application/json", "{}", 202);
    }

    JsonNode pause(String campaign) {
        return post("/api/campaigns/" + campaign + "/pause", "application/json", "{}", 200);
    }

    JsonNode resume(String campaign) {
        return post("/api/campaigns/" + campaign + "/resume", "application/json", "{}", 200);
    }

    JsonNode cancel(String campaign) {
        return post("/api/campaigns/" + campaign + "/cancel", "application/json", "{}", 200);
    }

    JsonNode removeRecipients(String campaign, List<Address> addresses) {
        return post("/api/campaigns/" + campaign + "/recipients/remove", "application/json",
                json(Map.of("addresses", addresses.stream().map(Address::toString).toList())), 200);
    }

    JsonNode removeRecipient(String campaign, Address address) {
        return send(HttpRequest.newBuilder(base.resolve("/api/campaigns/" + campaign + "/recipients/" + address)).DELETE(),
                200);
    }

    JsonNode campaign(String campaign) {
        return get("/api/campaigns/" + campaign);
    }

    JsonNode distributions(String campaign) {
        return get("/api/campaigns/" + campaign + "/distributions");
    }

    /** A page of {@code /distributions}; {@code query} is appended as is (empty for the defaults). */
    JsonNode distributions(String campaign, String query) {
        return get("/api/campaigns/" + campaign + "/distributions" + query);
    }

    JsonNode estimate(String campaign) {
        return get("/api/campaigns/" + campaign + "/estimate");
    }

    /** A GET whatever it answers: status, content type and body as text. */
    Text getText(String path) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(base.resolve(path)).GET());
        return new Text(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Content-Disposition").orElse(""), response.body());
    }

    /** A GET without credentials, whatever it answers. */
    Text getTextAnonymous(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).GET()
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Text(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), "",
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer as text. */
    record Text(int status, String contentType, String disposition, String body) {
        JsonNode json() {
            return readTree(body);
        }
    }

    /** Every recipient, following the cursor through all pages. */
    List<JsonNode> recipients(String campaign) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/campaigns/" + campaign + "/recipients?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }

    /** {@code POST /api/webhooks}: the registered webhook, with its secret. */
    JsonNode registerWebhook(String json) {
        return post("/api/webhooks", "application/json", json, 201);
    }

    /** {@code POST /api/webhooks/{id}/test}: the test event's id. */
    String testWebhook(String webhook) {
        return post("/api/webhooks/" + webhook + "/test", "application/json", "", 202).get("eventId").asText();
    }

    /** Every line of a webhook's delivery log, newest first, following the pages. */
    List<JsonNode> webhookDeliveries(String webhook) {
        List<JsonNode> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/webhooks/" + webhook + "/deliveries?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), 200);
    }

    private JsonNode post(String path, String contentType, String body, int expected) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)), expected);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) {
        HttpResponse<String> response = exchange(request);
        if (response.statusCode() != expected) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ", expected " + expected + ": " + response.body());
        }
        return readTree(response.body());
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        try {
            // Minutes, not seconds: bin/bench --scale uploads 250,000 recipients a request and distributes a million.
            return HTTP.send(request.header("Authorization", "Bearer dev:" + fid).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
