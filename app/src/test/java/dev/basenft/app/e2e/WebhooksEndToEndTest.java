package dev.basenft.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.core.model.Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's webhooks end to end, through the real server and worker over PostgreSQL, Redis and anvil, to a real HTTP
 * receiver (the JDK's {@code HttpServer}) that checks each signature: a receiver killed mid-distribution and restarted on
 * the same port later still gets every event (batch.failed, campaign.failed, then campaign.completed after a retry), at
 * least once, each repeat with its event id; and an event whose worker stopped after the state change, before any delivery,
 * is delivered by the next worker.
 */
class WebhooksEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Service> services = new ArrayList<>();
    private Infrastructure infra;
    private Receiver receiver;
    private LogLines log;

    @AfterEach
    void stopEverything() {
        services.forEach(s -> s.stop(Duration.ofSeconds(10)));
        if (receiver != null) {
            receiver.stop();
        }
        if (log != null) {
            log.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    private Service start(String command, Map<String, String> env) {
        Service service = Service.start(command, Settings.fromEnvironment(env), InstantSource.system());
        services.add(service);
        return service;
    }

    /** The settings under test: quick retries that never give up within the test, a short timeout. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(infra.environment());
        env.put("WEBHOOK_BACKOFF_MS", "200");
        env.put("WEBHOOK_MAX_BACKOFF_SECONDS", "1");
        env.put("WEBHOOK_MAX_ATTEMPTS", "100");
        env.put("WEBHOOK_TIMEOUT_MS", "2000");
        env.put("WEBHOOK_POLL_MS", "100");
        return env;
    }

    @Test
    void aReceiverKilledAndRestartedMidDistributionStillGetsEveryEvent() throws Exception {
        // A block a second and one batch at a time, so the receiver dies and the contract is paused mid-run.
        infra = Infrastructure.start("--block-time", "1");
        log = new LogLines();
        Map<String, String> env = environment();
        env.put("BATCH_SIZE", "50");
        env.put("WORKER_CONCURRENCY", "1");
        env.put("MAX_IN_FLIGHT", "1");
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        start("worker", env);
        receiver = Receiver.start(0);
        Campaign campaign = prepare(api, 300);
        JsonNode webhook = api.registerWebhook("{\"url\":\"http://127.0.0.1:" + receiver.port + "/hooks\","
                + "\"events\":[\"campaign.completed\",\"campaign.failed\",\"batch.failed\"],\"campaignId\":\""
                + campaign.id + "\"}");
        String secret = webhook.get("secret").asText();
        String webhookId = webhook.get("id").asText();
        String testEvent = api.testWebhook(webhookId);
        await(() -> receiver.acknowledged(testEvent), Duration.ofSeconds(20), "the test event");

        api.distribute(campaign.id);
        awaitCampaign(api, campaign.id, c -> c.at("/counts/batches/COMPLETED").asInt() >= 1);
        receiver.stop();
        infra.chain.rpc.sendOk(infra.chain.creator, campaign.collection, Calls.encode("pause"));
        JsonNode failed = awaitCampaign(api, campaign.id, c -> c.get("status").asText().equals("FAILED"));
        int failedBatches = failed.at("/counts/batches/FAILED").asInt();
        assertThat(failedBatches).isPositive();
        // Deliveries meet a closed port meanwhile; then the receiver comes back where it was.
        await(() -> api.webhookDeliveries(webhookId).stream().anyMatch(a -> a.get("statusCode").isNull()
                && a.get("outcome").asText().equals("RETRYING")), Duration.ofSeconds(20), "a try at the dead receiver");
        Thread.sleep(1_500);
        receiver = Receiver.start(receiver.port);

        Map<String, String> firstRound = eventsOf(campaign.id);
        assertThat(firstRound.values().stream().filter("batch.failed"::equals).count()).isEqualTo(failedBatches);
        assertThat(firstRound.values().stream().filter("campaign.failed"::equals).count()).isEqualTo(1);
        await(() -> receiver.acknowledgedAll(firstRound.keySet()), Duration.ofSeconds(30), "every event of the failed run");

        // Retry after unpausing: the campaign completes, and that is reported too.
        infra.chain.rpc.sendOk(infra.chain.creator, campaign.collection, Calls.encode("unpause"));
        api.retry(campaign.id);
        awaitCampaign(api, campaign.id, c -> c.get("status").asText().equals("COMPLETED"));
        Map<String, String> all = eventsOf(campaign.id);
        assertThat(all.values().stream().filter("campaign.completed"::equals).count()).isEqualTo(1);
        await(() -> receiver.acknowledgedAll(all.keySet()), Duration.ofSeconds(30), "campaign.completed");

        // Every request was signed with the secret over its timestamp and body; the body names the event its header does;
        // repeats (each event's first request was answered 500) carry the same id and body.
        List<Request> requests = receiver.allRequests();
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.signature()).isEqualTo(sign(secret, r.timestamp(), r.body()));
            assertThat(readTree(r.body()).get("id").asText()).isEqualTo(r.eventId());
        });
        Map<String, List<Request>> byEvent = requests.stream().collect(Collectors.groupingBy(Request::eventId));
        assertThat(byEvent.keySet()).containsAll(all.keySet()).contains(testEvent);
        byEvent.forEach((id, repeats) -> {
            assertThat(repeats).as("event %s", id).hasSizeGreaterThanOrEqualTo(2);
            assertThat(repeats).extracting(Request::body).as("event %s", id).containsOnly(repeats.get(0).body());
        });
        all.forEach((id, type) -> {
            JsonNode body = readTree(byEvent.get(id).get(0).body());
            assertThat(body.get("type").asText()).isEqualTo(type);
            assertThat(body.get("campaignId").asText()).isEqualTo(campaign.id);
        });
        List<JsonNode> deliveryLog = api.webhookDeliveries(webhookId);
        assertThat(deliveryLog).extracting(a -> a.get("outcome").asText()).contains("DELIVERED", "RETRYING")
                .doesNotContain("FAILED");
        assertThat(log.containing(secret)).as("the secret is never logged").isEmpty();
    }

    @Test
    void anEventWhoseWorkerStoppedBeforeDeliveringIsDeliveredByTheNextWorker() throws Exception {
        infra = Infrastructure.start();
        Map<String, String> env = environment();
        env.put("BATCH_SIZE", "50");
        Api api = new Api(start("server", env).httpPort().orElseThrow());
        receiver = Receiver.start(0);
        receiver.failFirst = false;
        Campaign campaign = prepare(api, 200);
        JsonNode webhook = api.registerWebhook("{\"url\":\"http://127.0.0.1:" + receiver.port + "/hooks\","
                + "\"events\":[\"campaign.completed\"]}");

        // This worker mints and completes the campaign, but goes away before any delivery: it delivers none.
        Map<String, String> mintOnly = new HashMap<>(env);
        mintOnly.put("WEBHOOK_DELIVERY", "off");
        Service first = start("worker", mintOnly);
        api.distribute(campaign.id);
        awaitCampaign(api, campaign.id, c -> c.get("status").asText().equals("COMPLETED"));
        first.stop(Duration.ZERO);
        services.remove(first);
        Map<String, String> events = eventsOf(campaign.id);
        assertThat(events).containsValue("campaign.completed").hasSize(1);
        assertThat(undispatched(campaign.id)).as("recorded with the change, not yet fanned out").isEqualTo(1);
        assertThat(receiver.allRequests()).isEmpty();

        start("worker", env);

        String eventId = events.keySet().iterator().next();
        await(() -> receiver.acknowledged(eventId), Duration.ofSeconds(30), "campaign.completed from the next worker");
        Request request = receiver.allRequests().get(0);
        assertThat(request.signature()).isEqualTo(sign(webhook.get("secret").asText(), request.timestamp(),
                request.body()));
        assertThat(readTree(request.body()).get("type").asText()).isEqualTo("campaign.completed");
        assertThat(undispatched(campaign.id)).isZero();
    }

    // ------------------------------------------------------------------------------------------------------- steps

    private record Campaign(String id, Address collection) {
    }

    /** Create → deploy through the factory from the creator's wallet → attach → upload {@code count} recipients. */
    private Campaign prepare(Api api, int count) {
        String id = api.createCampaign("Webhook drop");
        JsonNode deploy = api.deployTransaction(id, infra.chain.creator);
        String txHash = infra.chain.rpc.sendOk(infra.chain.creator, infra.chain.factory, deploy.get("data").asText())
                .get("transactionHash").asText();
        Address collection = Address.parse(api.attach(id, txHash).get("contract").asText());
        List<Address> recipients = DevChain.freshAddresses(count);
        api.uploadCsv(id, "address\n" + recipients.stream().map(Address::toString).collect(Collectors.joining("\n")));
        return new Campaign(id, collection);
    }

    /** The campaign's events in the outbox: id → type, in the order recorded. */
    private Map<String, String> eventsOf(String campaign) throws SQLException {
        Map<String, String> events = new LinkedHashMap<>();
        try (Connection c = infra.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT id, type FROM webhook_events WHERE campaign_id = ?::uuid ORDER BY seq")) {
            s.setString(1, campaign);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.put(rs.getString("id"), rs.getString("type"));
                }
            }
        }
        return events;
    }

    private int undispatched(String campaign) throws SQLException {
        try (Connection c = infra.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM webhook_events WHERE campaign_id = ?::uuid AND NOT dispatched")) {
            s.setString(1, campaign);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static JsonNode awaitCampaign(Api api, String id, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] last = {api.campaign(id)};
        await(() -> condition.test(last[0] = api.campaign(id)), Duration.ofMinutes(2), "campaign " + id);
        return last[0];
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
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

    /** One request the receiver got. */
    record Request(String eventId, String timestamp, String signature, String body, int answered) {
    }

    /**
     * A webhook receiver on 127.0.0.1: records every request; answers 500 to the first request of each event id (so every
     * event is repeated) and 204 afterwards, unless {@link #failFirst} is off. Requests survive a {@link #stop} and a new
     * {@link #start} on the same port share them through {@link #RECEIVED}.
     */
    static final class Receiver {

        /** Every request of this JVM's receivers, across restarts. */
        static final List<Request> RECEIVED = new CopyOnWriteArrayList<>();
        static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

        final int port;
        private final HttpServer server;
        volatile boolean failFirst = true;

        private Receiver(HttpServer server) {
            this.server = server;
            this.port = server.getAddress().getPort();
        }

        static Receiver start(int port) throws IOException, InterruptedException {
            if (port == 0) {
                RECEIVED.clear();
                SEEN.clear();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    Receiver receiver = new Receiver(server);
                    server.createContext("/hooks", exchange -> {
                        try (InputStream in = exchange.getRequestBody()) {
                            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                            String id = exchange.getRequestHeaders().getFirst("X-BaseNft-Event-Id");
                            int status = receiver.failFirst && SEEN.add(id) ? 500 : 204;
                            RECEIVED.add(new Request(id, exchange.getRequestHeaders().getFirst("X-BaseNft-Timestamp"),
                                    exchange.getRequestHeaders().getFirst("X-BaseNft-Signature"), body, status));
                            exchange.sendResponseHeaders(status, -1);
                        } finally {
                            exchange.close();
                        }
                    });
                    server.start();
                    return receiver;
                } catch (BindException e) {
                    // The old listener's port may take a moment to be free again.
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }

        void stop() {
            server.stop(0);
        }

        boolean acknowledged(String eventId) {
            return RECEIVED.stream().anyMatch(r -> r.eventId().equals(eventId) && r.answered() == 204);
        }

        boolean acknowledgedAll(Set<String> eventIds) {
            return eventIds.stream().allMatch(this::acknowledged);
        }

        List<Request> allRequests() {
            return List.copyOf(RECEIVED);
        }
    }
}
