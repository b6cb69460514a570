package dev.basenft.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.app.config.Settings;
import dev.basenft.app.dev.DevEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev} from nothing: embedded PostgreSQL and Redis, anvil from the project's npm install with our factory deployed
 * and the dev minter as its minter, listening on loopback only (dev auth is on), and the README's walkthrough
 * ({@code bin/demo}) run against it to a completed distribution.
 */
class DevModeTest {

    @TempDir
    Path dir;

    @Test
    void startsEverythingItselfAndTheWalkthroughCompletesADistribution() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ANVIL_PORT", Integer.toString(freePort()));
        env.put("DEV_BLOCK_TIME", "0");
        try (DevEnvironment dev = DevEnvironment.start(env)) {
            Map<String, String> effective = new HashMap<>(dev.variables());
            effective.put("PORT", "0");
            assertThat(effective).containsEntry("APP_ENV", "development").containsEntry("ALLOW_DEV_AUTH", "true")
                    .as("dev settles on the first receipt").containsEntry("CONFIRMATIONS", "0")
                    .containsKeys("DATABASE_URL", "REDIS_URL", "BASE_RPC_URL", "FACTORY_ADDRESS", "MINTER_PRIVATE_KEY")
                    .as("dev auth lets anyone act as any FID: loopback only").containsEntry("HOST", "127.0.0.1");
            Service service = Service.start("dev", Settings.fromEnvironment(effective), InstantSource.system());
            try {
                int port = service.httpPort().orElseThrow();
                for (InetAddress address : nonLoopbackAddresses()) {
                    try (Socket socket = new Socket()) {
                        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2000))
                                .as("dev reachable on %s", address).isInstanceOf(IOException.class);
                    }
                }
                String welcome = captured(() -> dev.printWelcome("127.0.0.1", port));
                assertThat(welcome).contains("base-nft dev is running: http://127.0.0.1:" + port, "Console: http://127.0.0.1:" + port + "/", "bin/demo",
                        "Authorization: Bearer dev:1", "/openapi.json");

                Path log = dir.resolve("demo.log");
                ProcessBuilder demo = new ProcessBuilder(List.of("node", "bin/demo", "20"))
                        .directory(Path.of("..").toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                demo.environment().put("API", "http://127.0.0.1:" + port);
                Process process = demo.start();
                assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("demo finished").isTrue();
                String output = Files.readString(log, StandardCharsets.UTF_8);

                assertThat(process.exitValue()).as("bin/demo output:%n%s", output).isZero();
                assertThat(output).contains("20 recipients added", "COMPLETED");

                // dev runs the worker too and has one port: the worker's readiness and metrics are served there.
                assertThat(service.managementPort()).isEmpty();
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                String ready = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(ready).contains("\"postgresql\"", "\"redis\"", "\"rpc\"", "\"breaker\"", "\"minter\"");
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("basenft_recipients_minted_total 20", "http_server_requests_seconds_count");
            } finally {
                service.stop(Duration.ofSeconds(10));
            }
        }
    }

    private static String captured(Runnable print) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            print.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** This machine's addresses other networks can reach it on. */
    private static List<InetAddress> nonLoopbackAddresses() throws Exception {
        return NetworkInterface.networkInterfaces().filter(DevModeTest::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList();
    }

    private static boolean up(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
