package dev.basenft.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.http.javalin.support.JwksServer;
import dev.basenft.adapter.http.javalin.support.TestKey;
import dev.basenft.adapter.http.javalin.support.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged fat jar as an operator runs it ({@code java -jar base-nft-app.jar …}), as a separate process: bad settings
 * stop it with a non-zero exit code and a message naming the variable (never the secret), a chain-id mismatch refuses to
 * start, SIGTERM shuts a worker down gracefully with exit code 0, and the server runs with production settings and no minter
 * key, letting in a user whose token is signed the way Farcaster's issuer signs it.
 */
class FatJarIT {

    private static final Path JAR = Path.of("target/base-nft-app.jar");
    /** The dev minter key without its prefix: the part that must never appear in any output. */
    private static final String KEY_DIGITS = DevChain.MINTER_KEY_HEX.substring(2);
    /** The issuer's kids are random UUIDs. */
    private static final String UUID_KID = java.util.UUID.randomUUID().toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Infrastructure infra;

    @TempDir
    Path dir;

    @BeforeAll
    static void startInfrastructure() {
        assertThat(JAR).as("the fat jar is built in the package phase").exists();
        infra = Infrastructure.start();
    }

    @AfterAll
    static void stopInfrastructure() {
        if (infra != null) {
            infra.close();
        }
    }

    private record Run(int exitCode, String output) {
    }

    private Process launch(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process process = launch(env, log, args);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static Map<String, String> valid() {
        return new HashMap<>(infra.environment());
    }

    @Test
    void refusesToStartWithoutTheRequiredSettingsNamingEachOne() throws Exception {
        Run server = run(Map.of(), "server");

        assertThat(server.exitCode()).isEqualTo(2);
        assertThat(server.output()).contains("DATABASE_URL is required", "BASE_RPC_URL is required",
                "FACTORY_ADDRESS is required", "DEPLOYER_ADDRESS is required", "APP_DOMAIN is required")
                .as("the server never signs, so it does not ask for the key").doesNotContain("MINTER_PRIVATE_KEY");

        Run worker = run(Map.of(), "worker");

        assertThat(worker.exitCode()).isEqualTo(2);
        assertThat(worker.output()).contains("DATABASE_URL is required",
                "MINTER_PRIVATE_KEY (or MINTER_PRIVATE_KEY_FILE) is required");
    }

    @Test
    void theServerRunsInProductionWithoutTheMinterKeyAndAnRs256TokenReachesApiMe() throws Exception {
        try (JwksServer quickAuth = new JwksServer()) {
            TestKey issuerKey = TestKey.rsa(UUID_KID);
            quickAuth.publish(issuerKey);
            int port = freePort();
            Map<String, String> env = valid();
            env.remove("MINTER_PRIVATE_KEY");
            env.remove("ALLOW_DEV_AUTH");
            env.put("APP_ENV", "production");
            // A plain-http issuer is accepted in production only on loopback: this one runs in the test, on 127.0.0.1.
            env.put("QUICK_AUTH_ORIGIN", quickAuth.origin().toString());
            env.put("HOST", "127.0.0.1");
            env.put("PORT", Integer.toString(port));
            Path log = dir.resolve("server.log");
            Process server = launch(env, log, "server");
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitHealthy(server, base, log);

                Instant now = Instant.now();
                String token = Tokens.asIssued(issuerKey, quickAuth.origin().toString(), env.get("APP_DOMAIN"), 12345,
                        now.minusSeconds(5), now.plusSeconds(3600));
                String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                        StandardCharsets.UTF_8);
                assertThat(payload).as("sub as the issuer writes it").contains("\"sub\":\"12345\"");
                HttpResponse<String> me = get(base.resolve("/api/me"), "Bearer " + token);
                assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
                assertThat(JSON.readTree(me.body()).get("fid").asLong()).isEqualTo(12345);

                assertThat(get(base.resolve("/api/me"), "Bearer dev:12345").statusCode()).as("no dev auth in production")
                        .isEqualTo(401);

                // The server's readiness is its own dependencies: the chain and the minter are the workers' concern.
                JsonNode ready = JSON.readTree(get(base.resolve("/health/ready"), null).body());
                assertThat(ready.get("status").asText()).isEqualTo("UP");
                List<String> checks = new ArrayList<>();
                ready.get("checks").fieldNames().forEachRemaining(checks::add);
                assertThat(checks).containsExactly("postgresql", "redis");
            } finally {
                server.destroy();
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(server.exitValue()).as("exit code; output:%n%s", output).isZero();
            assertThat(output).contains("minterPrivateKey=<not read>", "host=127.0.0.1").doesNotContain(KEY_DIGITS);
        }
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHealthy(Process server, URI base, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertThat(server.isAlive()).as("server still running: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("answering within 90 s: %s", Files.readString(log)).isLessThan(deadline);
            try {
                if (get(base.resolve("/health"), null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void namesABadMinterKeyWithoutShowingIt() throws Exception {
        Map<String, String> env = valid();
        env.put("MINTER_PRIVATE_KEY", "0x" + KEY_DIGITS.substring(0, 60) + "zzzz");

        Run run = run(env, "worker");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("MINTER_PRIVATE_KEY must be 64 hex digits").doesNotContain(KEY_DIGITS.substring(0, 60));
    }

    @Test
    void refusesDevAuthOutsideDevelopment() throws Exception {
        Map<String, String> env = valid();
        env.put("APP_ENV", "production");

        Run run = run(env, "server");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("ALLOW_DEV_AUTH=true is only allowed with APP_ENV=development");
    }

    @Test
    void refusesAMinterKeyThatIsNotTheDeployerAddress() throws Exception {
        Map<String, String> env = valid();
        env.put("DEPLOYER_ADDRESS", infra.chain.stranger.toString());

        Run run = run(env, "worker");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("DEPLOYER_ADDRESS is " + infra.chain.stranger)
                .contains("MINTER_PRIVATE_KEY signs for " + infra.chain.minter).doesNotContain(KEY_DIGITS);
    }

    @Test
    void refusesAnRpcOfAnotherChain() throws Exception {
        Map<String, String> env = valid();
        env.put("CHAIN_ID", "84532");

        Run run = run(env, "worker");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("CHAIN_ID is 84532").contains("8453").doesNotContain(KEY_DIGITS);
    }

    @Test
    void refusesAnUnknownCommand() throws Exception {
        Run run = run(valid(), "mint-everything");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("unknown command 'mint-everything'", "usage: base-nft <command>");
    }

    @Test
    void aWorkerServesItsReadinessAndMetricsOnItsManagementPortAndStopsGracefullyOnSigterm() throws Exception {
        Path log = dir.resolve("worker.log");
        int management = freePort();
        Map<String, String> env = valid();
        env.put("HOST", "127.0.0.1");
        env.put("MANAGEMENT_PORT", Integer.toString(management));
        Process worker = launch(env, log, "worker");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("[worker] Distribution worker started")) {
            assertThat(worker.isAlive()).as("worker still running: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("started within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        URI base = URI.create("http://127.0.0.1:" + management);
        awaitHealthy(worker, base, log);
        HttpResponse<String> ready = get(base.resolve("/health/ready"), null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertThat(checks.at("/breaker/state").asText()).isEqualTo("CLOSED");
        assertThat(checks.at("/rpc/minter").asText()).isEqualTo(infra.chain.minter.toString());
        assertThat(checks.at("/minter/status").asText()).isEqualTo("UP");
        assertThat(get(base.resolve("/metrics"), null).body()).contains("basenft_breaker_state{state=\"CLOSED\"} 1",
                "basenft_transactions_total{kind=\"sent\"} 0");

        worker.destroy(); // SIGTERM

        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(worker.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("[worker] Shutting down", "[worker] Stopped").doesNotContain(KEY_DIGITS);
        assertThat(output.indexOf("[worker] Shutting down")).isLessThan(output.indexOf("[worker] Stopped"));
    }

    @Test
    void logFormatJsonWritesOneJsonObjectPerLineAndAnUnknownFormatIsRefused() throws Exception {
        Map<String, String> env = valid();
        env.put("LOG_FORMAT", "json");
        Path log = dir.resolve("worker-json.log");
        Process worker = launch(env, log, "worker");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("[worker] Distribution worker started")) {
            assertThat(worker.isAlive()).as("worker still running: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("started within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        worker.destroy();
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThat(lines).allSatisfy(line -> assertThat(json.readTree(line).get("message")).as(line).isNotNull());
        assertThat(lines).anySatisfy(line -> assertThat(json.readTree(line).get("message").asText())
                .startsWith("[worker] Distribution worker started"));
        assertThat(String.join("\n", lines)).doesNotContain(KEY_DIGITS);

        env.put("LOG_FORMAT", "xml");
        Run refused = run(env, "worker");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.output()).contains("LOG_FORMAT must be plain or json, got 'xml'");
    }
}
