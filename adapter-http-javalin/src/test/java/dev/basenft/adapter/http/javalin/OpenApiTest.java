package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basenft.adapter.http.javalin.TestServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /openapi.json} describes exactly the routes the server registered, and describes them consistently. */
class OpenApiTest {

    TestServer server;
    JsonNode doc;

    @BeforeEach
    void start() {
        server = new TestServer();
        Reply reply = server.getAnonymous("/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        doc = reply.json();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Set<String> documented() {
        Set<String> routes = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method ->
                routes.add(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return routes;
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndViceVersa() {
        Set<String> registered = new TreeSet<>(server.api.registeredRoutes());
        assertThat(registered).as("the server registers routes").hasSizeGreaterThan(10);
        assertThat(documented()).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void tellsClientsHowTokensAreSignedAndWhichOriginsMayCall() {
        // What a client author needs and the server enforces: the issuer's RS256 with a digit-string sub, and CORS.
        assertThat(doc.at("/components/securitySchemes/quickAuth/description").asText())
                .contains("RS256", "2048", "jwks.json", "string of digits", "QUICK_AUTH_ORIGIN", "APP_DOMAIN");
        assertThat(doc.at("/info/description").asText()).contains("CORS_ORIGINS");
    }

    @Test
    void isOpenApi3() {
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/info/title").asText()).isNotBlank();
    }

    @Test
    void apiOperationsNeedAuthAndEveryPostAnIdempotencyKey() {
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            String route = method.getKey() + " " + path.getKey();
            JsonNode operation = method.getValue();
            if (path.getKey().startsWith("/api/")) {
                assertThat(operation.at("/security/0/quickAuth").isArray()).as(route).isTrue();
                assertThat(operation.at("/responses/401").isMissingNode()).as(route + " documents 401").isFalse();
            } else {
                assertThat(operation.get("security")).as(route).isEmpty();
            }
            if (method.getKey().equals("post")) {
                List<String> params = new ArrayList<>();
                operation.get("parameters").forEach(p -> params.add(p.get("$ref").asText()));
                assertThat(params).as(route).contains("#/components/parameters/IdempotencyKey");
            }
            assertThat(operation.get("operationId").asText()).as(route).isNotBlank();
        }));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
