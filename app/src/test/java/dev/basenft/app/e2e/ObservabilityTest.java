package dev.basenft.app.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.app.Main;
import dev.basenft.app.Service;
import dev.basenft.app.config.Settings;
import dev.basenft.core.model.Address;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker is observable (issue 19): a server and two workers over one PostgreSQL and Redis, each worker with its own
 * management port; each worker's {@code /metrics} and {@code /health/ready} show its own state, an empty minter wallet
 * and a worker whose RPC breaks make that worker unready in words, and the API stays ready through both.
 */
class ObservabilityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Service> services = new ArrayList<>();
    private Infrastructure infra;
    private FaultProxy proxy;

    @AfterEach
    void stopEverything() throws IOException {
        services.forEach(s -> s.stop(Duration.ofSeconds(10)));
        if (proxy != null) {
            proxy.close();
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

    @Test
    void eachWorkerShowsItsOwnStateAndTheApiStaysReadyThroughAnEmptyWalletAndABrokenRpc() throws Exception {
        infra = Infrastructure.start();
        Map<String, String> env = new HashMap<>(infra.environment());
        env.put("BATCH_SIZE", "10");
        env.put("MANAGEMENT_PORT", "0");
        env.put("HOST", "127.0.0.1");
        proxy = new FaultProxy(infra.chain.anvil.url());
        Map<String, String> viaProxy = new HashMap<>(env);
        viaProxy.put("BASE_RPC_URL", proxy.url().toString());
        // One failure opens this worker's breaker, and it stays open while the test looks.
        viaProxy.put("BREAKER_FAILURE_THRESHOLD", "1");
        viaProxy.put("BREAKER_COOLDOWN_SECONDS", "600");
        viaProxy.put("RPC_TIMEOUT_SECONDS", "1");

        Service server = start("server", env);
        Api api = new Api(server.httpPort().orElseThrow());
        URI serverBase = URI.create("http://127.0.0.1:" + server.httpPort().orElseThrow());
        Service workerA = start("worker", env);
        Service workerB = start("worker", viaProxy);
        assertThat(server.managementPort()).as("the server serves its own on PORT").isEmpty();
        URI a = URI.create("http://127.0.0.1:" + workerA.managementPort().orElseThrow());
        URI b = URI.create("http://127.0.0.1:" + workerB.managementPort().orElseThrow());

        // The server is ready on its own dependencies alone.
        JsonNode serverReady = get(serverBase.resolve("/health/ready"), 200);
        assertThat(names(serverReady.get("checks"))).containsExactly("postgresql", "redis");

        // A small distribution, minted by the two workers together.
        String first = prepare(api, 20);
        api.distribute(first);
        awaitCampaign(api, first, "COMPLETED");
        Predicate<Map<String, Double>> settled = m -> m.getOrDefault("basenft_batches{status=\"COMPLETED\"}", 0.0) == 2
                && m.getOrDefault("basenft_queue_jobs{state=\"waiting\"}", -1.0) == 0
                && m.getOrDefault("basenft_nonce_lag", -1.0) == 0;
        Map<String, Double> metricsA = awaitMetrics(a, settled);
        Map<String, Double> metricsB = awaitMetrics(b, settled);
        assertThat(value(metricsA, "basenft_recipients_minted_total") + value(metricsB, "basenft_recipients_minted_total"))
                .as("each worker counts the recipients it minted").isEqualTo(20);
        assertThat(value(metricsA, "basenft_transactions_total{kind=\"sent\"}")
                + value(metricsB, "basenft_transactions_total{kind=\"sent\"}")).isEqualTo(2);
        // The fee is read from the receipt on the metrics thread, after the batch: wait for it.
        Map<String, Double> minted = awaitMetrics(value(metricsA, "basenft_recipients_minted_total") > 0 ? a : b,
                m -> m.getOrDefault("basenft_fees_paid_wei_total", 0.0) > 0);
        assertThat(value(minted, "basenft_gas_used_total")).isPositive();
        assertThat(value(minted, "basenft_fees_paid_wei_total")).isPositive();
        assertThat(value(minted, "basenft_distribute_to_mined_seconds_count")).isPositive();
        for (Map<String, Double> m : List.of(metricsA, metricsB)) {
            assertThat(value(m, "basenft_minter_balance_wei")).isPositive();
            assertThat(value(m, "basenft_nonce_lag")).isZero();
            assertThat(value(m, "basenft_breaker_state{state=\"CLOSED\"}")).isEqualTo(1);
            assertThat(value(m, "basenft_queue_jobs{state=\"waiting\"}")).isZero();
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("basenft_rpc_calls_seconds_count{")
                    && k.contains("method=\"eth_getBalance\"") && k.contains("outcome=\"ok\""));
        }
        assertThat(get(a.resolve("/health/ready"), 200).at("/checks/minter/l1DataFeeWei").asText())
                .startsWith("0: no GasPriceOracle");
        assertEveryDocumentedAndDashboardedMetricIsExported(scrape(a));

        // An empty minter wallet: each worker says so in words; the API stays in the load balancer.
        String balance = infra.chain.rpc.call("eth_getBalance", infra.chain.minter.toString(), "latest").asText();
        infra.chain.rpc.call("anvil_setBalance", infra.chain.minter.toString(), "0x0");
        try {
            JsonNode unready = get(a.resolve("/health/ready"), 503);
            assertThat(unready.get("failing")).extracting(JsonNode::asText).containsExactly("minter");
            assertThat(unready.at("/checks/minter/reason").asText()).startsWith("Minter balance too low")
                    .contains("holds 0 wei");
            get(serverBase.resolve("/health/ready"), 200);
        } finally {
            infra.chain.rpc.call("anvil_setBalance", infra.chain.minter.toString(), balance);
        }
        get(a.resolve("/health/ready"), 200);

        // Worker B's RPC breaks; with A gone, B takes the next batch, and its breaker opens.
        workerA.stop(Duration.ofSeconds(10));
        proxy.injectWhen(request -> true, 1_000_000, new FaultProxy.Fault.Status(503, "{}"));
        String second = prepare(api, 5);
        api.distribute(second);
        JsonNode broken = awaitReady(b, r -> r.at("/checks/breaker/state").asText().equals("OPEN"));
        assertThat(broken.get("status").asText()).isEqualTo("DOWN");
        assertThat(broken.at("/checks/breaker/reason").asText()).isEqualTo("Circuit breaker OPEN");
        assertThat(broken.at("/checks/rpc/status").asText()).isEqualTo("DOWN");
        assertThat(broken.at("/checks/rpc/reason").asText()).isNotBlank();
        assertThat(get(serverBase.resolve("/health/ready"), 200).get("status").asText()).isEqualTo("UP");
        Map<String, Double> brokenMetrics = parse(scrape(b));
        assertThat(value(brokenMetrics, "basenft_breaker_state{state=\"OPEN\"}")).isEqualTo(1);
        assertThat(value(brokenMetrics, "basenft_breaker_transitions_total{from=\"CLOSED\",to=\"OPEN\"}")).isEqualTo(1);
        assertThat(brokenMetrics.keySet()).anyMatch(k -> k.startsWith("basenft_rpc_calls_seconds_count{")
                && k.contains("outcome=\"transport\""));

        // doctor, run as an operator would with the server's environment and the worker's management address, says so.
        Map<String, String> doctorEnv = new HashMap<>(env);
        doctorEnv.put("WORKER_MANAGEMENT_URLS", b.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"doctor"}, doctorEnv, new PrintStream(out, true, UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
        String report = out.toString(UTF_8);
        assertThat(exit).as(report).isEqualTo(1);
        assertThat(report.lines().filter(l -> l.startsWith("FAIL breaker"))).as(report).singleElement().asString()
                .contains(b.getHost() + ":" + b.getPort()).contains("breaker OPEN");
    }

    // ------------------------------------------------------------------------------------------------------ steps

    private String prepare(Api api, int count) {
        String id = api.createCampaign("Observed drop");
        JsonNode deploy = api.deployTransaction(id, infra.chain.creator);
        String txHash = infra.chain.rpc.sendOk(infra.chain.creator, infra.chain.factory, deploy.get("data").asText())
                .get("transactionHash").asText();
        api.attach(id, txHash);
        api.uploadCsv(id, "address\n" + DevChain.freshAddresses(count).stream().map(Address::toString)
                .collect(Collectors.joining("\n")));
        return id;
    }

    private static void awaitCampaign(Api api, String id, String status) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!api.campaign(id).get("status").asText().equals(status)) {
            assertThat(System.nanoTime()).as("campaign %s within 2 min: %s", status, api.campaign(id)).isLessThan(deadline);
            sleep(250);
        }
    }

    private static Map<String, Double> awaitMetrics(URI base, Predicate<Map<String, Double>> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Double> metrics = parse(scrape(base));
        while (!condition.test(metrics)) {
            assertThat(System.nanoTime()).as("metrics of %s: %s", base, metrics).isLessThan(deadline);
            sleep(500);
            metrics = parse(scrape(base));
        }
        return metrics;
    }

    private static JsonNode awaitReady(URI base, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode ready = JSON.readTree(send(base.resolve("/health/ready")).body());
        while (!condition.test(ready)) {
            assertThat(System.nanoTime()).as("readiness of %s: %s", base, ready).isLessThan(deadline);
            sleep(500);
            ready = JSON.readTree(send(base.resolve("/health/ready")).body());
        }
        return ready;
    }

    /** Every metric README's table names and every one the Grafana dashboard queries is in a worker's scrape. */
    private static void assertEveryDocumentedAndDashboardedMetricIsExported(String scrape) throws IOException {
        Set<String> exported = parse(scrape).keySet().stream().map(k -> k.replaceFirst("\\{.*", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        Path root = Path.of("").toAbsolutePath().getParent();
        Set<String> documented = names(Files.readString(root.resolve("README.md")), "`(basenft_[a-z_]+)`");
        Set<String> dashboarded = names(Files.readString(root.resolve("docs/grafana-dashboard.json")),
                "(basenft_[a-z_]+)");
        JSON.readTree(root.resolve("docs/grafana-dashboard.json").toFile());
        assertThat(documented).as("README's metrics table").hasSizeGreaterThanOrEqualTo(12);
        assertThat(dashboarded).as("the dashboard's queries").isNotEmpty();
        for (String name : documented) {
            assertThat(exported).as("documented %s", name).anyMatch(e -> e.equals(name) || e.startsWith(name + "_"));
        }
        for (String name : dashboarded) {
            assertThat(exported).as("dashboarded %s", name).contains(name);
        }
    }

    private static Set<String> names(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Prometheus text format: {@code name{labels} value} per line, labels as the registry writes them. */
    private static Map<String, Double> parse(String scrape) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }

    private static double value(Map<String, Double> metrics, String series) {
        Double value = metrics.get(series);
        assertThat(value).as("series %s in %s", series, metrics.keySet()).isNotNull();
        return value;
    }

    private static String scrape(URI base) throws Exception {
        HttpResponse<String> response = send(base.resolve("/metrics"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode get(URI uri, int expected) throws Exception {
        HttpResponse<String> response = send(uri);
        assertThat(response.statusCode()).as("%s: %s", uri, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
