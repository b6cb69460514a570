package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.http.javalin.TestServer.Reply;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * CORS for a console or mini app served from another origin: a browser's preflight and the real request after it, from an
 * allowed origin and from one that is not, and no CORS at all by default.
 */
class CorsTest {

    private static final String CONSOLE = "https://console.example.com";

    private static TestServer server(List<String> origins) {
        return new TestServer(null, HttpSettings.builder().host("127.0.0.1").port(0).corsOrigins(origins).build(), List.of());
    }

    /** What a browser sends before a POST with a bearer token, a JSON body and an Idempotency-Key. */
    private static Reply preflight(TestServer server, String origin) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/campaigns"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .build());
    }

    private static List<String> listed(Reply reply, String header) {
        return reply.headers().allValues(header).stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(v -> v.strip().toLowerCase(Locale.ROOT)).toList();
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
        try (TestServer server = server(List.of(CONSOLE, "http://localhost:5173"))) {
            Reply reply = preflight(server, CONSOLE);
            assertThat(reply.status()).as(reply.body()).isBetween(200, 204);
            assertThat(reply.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CONSOLE);
            assertThat(listed(reply, "Access-Control-Allow-Methods")).contains("post");
            assertThat(listed(reply, "Access-Control-Allow-Headers"))
                    .contains("authorization", "content-type", "idempotency-key");
            assertThat(reply.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
            assertThat(reply.headers().firstValue("Access-Control-Allow-Credentials")).as("bearer tokens, no cookies")
                    .isEmpty();
            assertThat(preflight(server, "http://localhost:5173").headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("http://localhost:5173");
        }
    }

    @Test
    void theRequestAfterThePreflightCarriesTheHeadersItsScriptMayRead() {
        try (TestServer server = server(List.of(CONSOLE))) {
            Reply created = server.send(HttpRequest.newBuilder(server.uri("/api/campaigns"))
                    .header("Origin", CONSOLE).header("Authorization", TestServer.dev(7))
                    .header("Idempotency-Key", "cors-1").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"symbol\":\"X\"}")).build());
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.headers().firstValue("Access-Control-Allow-Origin")).hasValue(CONSOLE);
            assertThat(listed(created, "Vary")).contains("origin");
            assertThat(listed(created, "Access-Control-Expose-Headers"))
                    .contains("location", "retry-after", "idempotent-replayed", "www-authenticate");
        }
    }

    @Test
    void anotherOriginGetsNoCorsHeaders() {
        try (TestServer server = server(List.of(CONSOLE))) {
            for (String origin : List.of("https://evil.example.com", "https://console.example.com.evil.example",
                    "http://console.example.com", "null")) {
                Reply reply = preflight(server, origin);
                assertThat(reply.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
                Reply get = server.send(HttpRequest.newBuilder(server.uri("/api/me")).header("Origin", origin)
                        .header("Authorization", TestServer.dev(7)).GET().build());
                assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
            }
        }
    }

    @Test
    void noCorsUnlessOriginsAreConfigured() {
        try (TestServer server = new TestServer()) {
            Reply reply = preflight(server, CONSOLE);
            assertThat(reply.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(reply.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
            Reply me = server.send(HttpRequest.newBuilder(server.uri("/api/me")).header("Origin", CONSOLE)
                    .header("Authorization", TestServer.dev(7)).GET().build());
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void originsThatCouldNeverMatchOrAllowEveryoneAreRefusedByPosition() {
        for (String bad : List.of("*", "https://console.example.com/", "https://console.example.com/app", "HTTPS://X.EXAMPLE",
                "ftp://x.example", "console.example.com", "https://user@x.example", " ")) {
            assertThatThrownBy(() -> HttpSettings.builder().corsOrigins(List.of(CONSOLE, bad)).build()).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("corsOrigins[1] ");
        }
        assertThat(HttpSettings.builder().corsOrigins(List.of(CONSOLE, "http://127.0.0.1:8080", CONSOLE)).build()
                .corsOrigins()).containsExactly(CONSOLE, "http://127.0.0.1:8080");
        assertThat(HttpSettings.defaults().corsOrigins()).isEmpty();
    }
}
