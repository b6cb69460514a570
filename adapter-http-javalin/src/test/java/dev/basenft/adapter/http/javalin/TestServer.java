package dev.basenft.adapter.http.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.adapter.http.javalin.support.CountingRecipients;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.EstimateCostQuery;
import dev.basenft.core.port.in.ReadStatusQuery;
import dev.basenft.core.service.CampaignService;
import dev.basenft.core.service.DistributionControl;
import dev.basenft.core.service.WebhookService;
import dev.basenft.core.service.WebhookSettings;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.InMemoryDistributionQueue;
import dev.basenft.core.testing.InMemoryStorage;
import dev.basenft.core.testing.MutableClock;
import dev.basenft.core.testing.SequentialIds;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A real API server for tests: core's {@code CampaignService} over core's in-memory ports ({@code dev.basenft.core.testing}:
 * storage, queue, and {@code FakeChain} as the collection factory), behind {@link HttpApi} on a random
 * loopback port, with a JDK {@link HttpClient}. Authentication is {@link QuickAuthAuthenticator} with dev auth on, unless a
 * test passes its own; its JWKS origin is a closed port, so a real-looking token gets 503 here (tests of real tokens use a
 * JWKS server).
 */
final class TestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Base Sepolia, so a test can tell the configured chain from a default. */
    static final ChainId CHAIN = new ChainId(84532);

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    final InMemoryStorage storage = new InMemoryStorage(clock);
    final CountingRecipients recipients = new CountingRecipients(storage.recipients());
    final InMemoryDistributionQueue queue = InMemoryDistributionQueue.withDefaults(clock);
    final FakeChain chain = new FakeChain(CHAIN);
    final CampaignService service;
    final DistributionControl control;
    final WebhookService webhooks;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpApi api;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer() {
        this(null, HttpSettings.builder().host("127.0.0.1").port(0).build(), List.of());
    }

    TestServer(Authenticator authenticator, HttpSettings settings, List<ReadinessCheck> checks) {
        this(authenticator, settings, checks, ConsoleSettings.defaults());
    }

    TestServer(Authenticator authenticator, HttpSettings settings, List<ReadinessCheck> checks, ConsoleSettings console) {
        service = new CampaignService(storage.campaigns(), recipients, storage.batches(), storage.ledger(), queue, chain,
                new SequentialIds(), clock, CHAIN, DistributionSettings.builder().batchSize(2).build());
        control = new DistributionControl(storage.campaigns(), recipients, storage.batches(), queue);
        // Plain http is refused for other hosts than loopback, as in production.
        webhooks = new WebhookService(storage.webhooks(), storage.campaigns(), new SequentialIds(), clock,
                WebhookSettings.defaults());
        HttpApi.Builder builder = HttpApi.builder()
                .useCases(service)
                .controls(control)
                .webhooks(webhooks)
                .estimateCost(estimator(service, chain))
                .idempotencyRecords(storage.idempotency())
                .authenticator(authenticator != null ? authenticator : QuickAuthAuthenticator.create(
                        new AuthSettings(URI.create("http://127.0.0.1:9"), "miniapp.example.com", true, "development"),
                        clock))
                .settings(settings)
                .meterRegistry(registry)
                .console(console)
                .clock(clock);
        checks.forEach(builder::readinessCheck);
        api = builder.build().start();
    }

    /** Gas of a batch of n recipients in {@link #estimator}. */
    static long gasOf(int recipients) {
        return 30_000L + 50_000L * recipients;
    }

    /**
     * The estimate over {@code FakeChain}: the app's estimator reads a real node, so this one only prices the campaign's
     * remaining recipients with {@link #gasOf} at the fake chain's fees, against its minter's balance, for the route's
     * wiring and shape.
     */
    static EstimateCostQuery estimator(CampaignService service, FakeChain chain) {
        return (owner, id) -> {
            ReadStatusQuery.CampaignView view = service.campaign(owner, id)
                    .orElseThrow(() -> new CampaignNotFoundException(id));
            long left = view.summary().recipients().get(RecipientStatus.PENDING)
                    + view.summary().recipients().get(RecipientStatus.PROCESSING);
            List<EstimateCostQuery.BatchGroup> groups = left == 0 ? List.of()
                    : List.of(new EstimateCostQuery.BatchGroup((int) left, 1, gasOf((int) left), Wei.ZERO));
            long gas = left == 0 ? 0 : gasOf((int) left);
            Fees fees = chain.currentFees();
            Wei base = new Wei(fees.maxFeePerGas().value().subtract(fees.maxPriorityFeePerGas().value()).shiftRight(1));
            Wei l2 = base.plus(fees.maxPriorityFeePerGas()).times(gas);
            return new EstimateCostQuery.CostEstimate(left, (int) Math.max(left, 1), groups, gas, "gasOf", base,
                    fees.maxPriorityFeePerGas(), fees.maxFeePerGas(), l2, Wei.ZERO, "0: FakeChain", l2,
                    fees.maxFeePerGas().times(gas), chain.minter(), chain.balance(chain.minter()));
        };
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    static String dev(long fid) {
        return "Bearer dev:" + fid;
    }

    Reply get(String path, long fid) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", dev(fid)).GET().build());
    }

    Reply getAnonymous(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    Reply post(String path, long fid, String contentType, String body) {
        return post(path, fid, UUID.randomUUID().toString(), contentType, body);
    }

    Reply post(String path, long fid, String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", dev(fid))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    Reply postJson(String path, long fid, String json) {
        return post(path, fid, "application/json", json);
    }

    /**
     * {@link #send} on a connection of its own: a pooled connection the server has just closed (after an earlier 413, say)
     * would fail this request with "header parser received no bytes" before it reached the server.
     */
    Reply sendOnNewConnection(HttpRequest request) {
        try (HttpClient fresh = HttpClient.newHttpClient()) {
            HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(request, (name, value) -> true)
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends only the head of a POST that announces {@code contentLength} body bytes and {@code Expect: 100-continue}, on a
     * raw socket, and returns the first answer the server gives: a server that refuses by the head alone answers without
     * ever asking for the body. No client library stands between, so no connection race can hide or fake the answer.
     */
    Reply postHeadOnly(String path, long fid, String contentType, long contentLength) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(20_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + dev(fid)
                    + "\r\nIdempotency-Key: " + UUID.randomUUID() + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + contentLength + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            StringBuilder headers = new StringBuilder();
            while (!headers.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + headers.length() + " bytes of the answer: " + headers);
                }
                headers.append((char) b);
            }
            String[] lines = headers.toString().split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            java.util.Map<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                map.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(map.getOrDefault("Content-Length", List.of("0")).get(0));
            byte[] body = in.readNBytes(length);
            return new Reply(status, HttpHeaders.of(map, (name, value) -> true),
                    new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply delete(String path, long fid) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", dev(fid)).DELETE().build());
    }

    Reply send(HttpRequest request) {
        if (request.timeout().isEmpty()) {
            // A hung server must fail the test, not hang the build.
            request = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(20)).build();
        }
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a campaign for {@code fid} and returns its id. */
    String createCampaign(long fid, String name) {
        Reply reply = postJson("/api/campaigns", fid, "{\"name\":\"" + name + "\",\"symbol\":\"SYM\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException("create failed: " + reply);
        }
        return reply.json().get("id").asText();
    }

    /** How many campaigns {@code fid} owns (the stores have no global count). */
    int campaignCount(long fid) {
        return storage.campaigns().listByOwner(new Fid(fid), Optional.empty(), 10_000).size();
    }

    @Override
    public void close() {
        api.stop();
    }

    /** An HTTP answer. */
    record Reply(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        boolean isProblem() {
            return contentType().startsWith("application/problem+json");
        }

        String detail() {
            return json().path("detail").asText();
        }
    }
}
