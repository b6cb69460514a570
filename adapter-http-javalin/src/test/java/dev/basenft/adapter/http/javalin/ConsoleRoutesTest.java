package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.internal.ConsoleAssets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The console's routes over real HTTP: the page with this deployment's settings, its fixed list of files, and the
 * Farcaster mini app manifest and embed, present exactly when configured. Also the page weight budget: every script the
 * console serves, gzipped, must add up to at most 60 KB.
 */
class ConsoleRoutesTest {

    static final int SCRIPT_BUDGET_BYTES = 60 * 1024;

    static final ConsoleSettings.MiniApp MINI_APP = new ConsoleSettings.MiniApp("eyJmaWQiOjF9", "eyJkb21haW4iOiJ4In0",
            "MHhhYmM=", "Drops <beta>", URI.create("https://drops.example.com/icon.png"),
            URI.create("https://drops.example.com/"), URI.create("https://drops.example.com/embed.png"), "Open \"drops\"",
            URI.create("https://drops.example.com/splash.png"), "#1b1f3b");

    private static TestServer server(ConsoleSettings console) {
        return new TestServer(null, HttpSettings.builder().host("127.0.0.1").port(0).build(), List.of(), console);
    }

    @Test
    void withoutAMiniAppTheManifestIs404AndThePageHasNoEmbed() {
        try (TestServer server = server(ConsoleSettings.defaults())) {
            TestServer.Reply manifest = server.getAnonymous("/.well-known/farcaster.json");
            assertThat(manifest.status()).isEqualTo(404);
            assertThat(manifest.isProblem()).isTrue();

            TestServer.Reply page = server.getAnonymous("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body()).doesNotContain("fc:miniapp").contains("/console/app.js");
            JsonNode config = config(page.body());
            assertThat(config.get("chainId").asLong()).isEqualTo(8453);
            assertThat(config.get("explorer").asText()).isEqualTo("https://basescan.org");
            assertThat(config.get("devSignIn").asBoolean()).isFalse();
            assertThat(config.get("devRpc").isNull()).isTrue();
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                    .contains("connect-src 'self' https://auth.farcaster.xyz;").doesNotContain("frame-ancestors");
        }
    }

    @Test
    void aConfiguredMiniAppServesItsManifestAndEmbed() throws IOException {
        ConsoleSettings console = new ConsoleSettings(84532, 50, ConsoleSettings.explorerFor(84532), false, Optional.empty(),
                AuthSettings.DEFAULT_ORIGIN, Optional.of(MINI_APP));
        try (TestServer server = server(console)) {
            TestServer.Reply manifest = server.getAnonymous("/.well-known/farcaster.json");
            assertThat(manifest.status()).isEqualTo(200);
            JsonNode m = manifest.json();
            assertThat(m.at("/accountAssociation/header").asText()).isEqualTo("eyJmaWQiOjF9");
            assertThat(m.at("/accountAssociation/payload").asText()).isEqualTo("eyJkb21haW4iOiJ4In0");
            assertThat(m.at("/accountAssociation/signature").asText()).isEqualTo("MHhhYmM=");
            assertThat(m.at("/miniapp/version").asText()).isEqualTo("1");
            assertThat(m.at("/miniapp/name").asText()).isEqualTo("Drops <beta>");
            assertThat(m.at("/miniapp/homeUrl").asText()).isEqualTo("https://drops.example.com/");
            assertThat(m.at("/miniapp/iconUrl").asText()).isEqualTo("https://drops.example.com/icon.png");

            String page = server.getAnonymous("/").body();
            Matcher meta = Pattern.compile("<meta name=\"fc:miniapp\" content=\"([^\"]*)\">").matcher(page);
            assertThat(meta.find()).as("the embed meta tag in %s", page).isTrue();
            // Attribute-escaped: the quotes and angle brackets of the name and title cannot break out of it.
            JsonNode embed = TestServer.JSON.readTree(meta.group(1).replace("&quot;", "\"").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&amp;", "&"));
            assertThat(embed.get("version").asText()).isEqualTo("1");
            assertThat(embed.get("imageUrl").asText()).isEqualTo("https://drops.example.com/embed.png");
            assertThat(embed.at("/button/title").asText()).isEqualTo("Open \"drops\"");
            assertThat(embed.at("/button/action/type").asText()).isEqualTo("launch_miniapp");
            assertThat(embed.at("/button/action/url").asText()).isEqualTo("https://drops.example.com/");
            assertThat(embed.at("/button/action/splashBackgroundColor").asText()).isEqualTo("#1b1f3b");
            assertThat(config(page).get("explorer").asText()).isEqualTo("https://sepolia.basescan.org");
            assertThat(config(page).get("batchSize").asInt()).isEqualTo(50);
        }
    }

    @Test
    void servesItsFilesAndNothingElse() {
        try (TestServer server = server(ConsoleSettings.defaults())) {
            for (var file : ConsoleAssets.fileNames().entrySet()) {
                TestServer.Reply reply = server.getAnonymous("/console/" + file.getKey());
                assertThat(reply.status()).as(file.getKey()).isEqualTo(200);
                assertThat(reply.contentType()).as(file.getKey()).startsWith(file.getValue().split(";")[0]);
            }
            assertThat(server.getAnonymous("/console/index.html").status()).isEqualTo(404);
            assertThat(server.getAnonymous("/console/..%2Fopenapi.json").status()).isEqualTo(404);
            assertThat(server.getAnonymous("/console/nope.js").status()).isEqualTo(404);
        }
    }

    @Test
    void devSettingsReachThePageOnlyWithDevSignIn() {
        ConsoleSettings dev = new ConsoleSettings(31337, 200, Optional.empty(), true,
                Optional.of(URI.create("http://127.0.0.1:8545")), URI.create("http://127.0.0.1:9000"), Optional.empty());
        try (TestServer server = server(dev)) {
            JsonNode config = config(server.getAnonymous("/").body());
            assertThat(config.get("devSignIn").asBoolean()).isTrue();
            assertThat(config.get("devRpc").asText()).isEqualTo("http://127.0.0.1:8545");
            assertThat(config.get("explorer").isNull()).isTrue();
            assertThat(config.get("quickAuthOrigin").asText()).isEqualTo("http://127.0.0.1:9000");
            assertThat(server.getAnonymous("/").headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("connect-src 'self' http://127.0.0.1:9000 http://127.0.0.1:8545;");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleSettings(31337, 200, Optional.empty(), false,
                Optional.of(URI.create("http://127.0.0.1:8545")), AuthSettings.DEFAULT_ORIGIN, Optional.empty()))
                .hasMessageContaining("devRpc");
    }

    @Test
    void everyServedScriptTogetherStaysWithin60KbCompressed() throws IOException {
        long total = 0;
        StringBuilder report = new StringBuilder();
        for (String name : ConsoleAssets.fileNames().keySet()) {
            if (!name.endsWith(".js")) {
                continue;
            }
            byte[] raw;
            try (var in = ConsoleAssets.class.getResourceAsStream(ConsoleAssets.RESOURCE_DIR + name)) {
                raw = in.readAllBytes();
            }
            int gz = gzip(raw).length;
            total += gz;
            report.append(String.format("%n  %-16s %7d bytes, %6d gzipped", name, raw.length, gz));
        }
        System.out.printf("console scripts: %d bytes gzipped in all (budget %d)%s%n", total, SCRIPT_BUDGET_BYTES, report);
        assertThat(total).as("gzipped console scripts:%s", report).isPositive().isLessThanOrEqualTo(SCRIPT_BUDGET_BYTES);
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static JsonNode config(String page) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"console-config\">(.*?)</script>").matcher(page);
        assertThat(m.find()).as("the config block in %s", page).isTrue();
        try {
            return TestServer.JSON.readTree(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
