package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.http.javalin.TestServer.Reply;
import dev.basenft.adapter.http.javalin.support.JwksServer;
import dev.basenft.adapter.http.javalin.support.LogCapture;
import dev.basenft.adapter.http.javalin.support.TestKey;
import dev.basenft.adapter.http.javalin.support.Tokens;
import dev.basenft.core.testing.MutableClock;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quick Auth through the server: real tokens from a local JWKS, 401 problems, and 503 when the JWKS is down. */
class AuthOverHttpTest {

    static final String DOMAIN = "miniapp.example.com";

    JwksServer jwks;
    MutableClock clock;
    TestKey key;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        jwks = new JwksServer();
        key = TestKey.ed25519("k1");
        jwks.publish(key);
        clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        server = new TestServer(QuickAuthAuthenticator.create(new AuthSettings(jwks.origin(), DOMAIN, false, "production"),
                clock), HttpSettings.builder().host("127.0.0.1").port(0).build(), List.of());
    }

    @AfterEach
    void stop() {
        server.close();
        jwks.close();
    }

    private String token(long fid, Instant expires) {
        return Tokens.sign(key, Tokens.claims(jwks.origin().toString(), DOMAIN, fid, clock.instant(), expires));
    }

    private Reply get(String path, String authorization) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", authorization).GET().build());
    }

    @Test
    void aQuickAuthTokenIdentifiesTheCaller() {
        Reply me = get("/api/me", "Bearer " + token(4242, clock.instant().plusSeconds(600)));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("fid").asLong()).isEqualTo(4242);

        String token = token(4242, clock.instant().plusSeconds(600));
        Reply created = server.send(HttpRequest.newBuilder(server.uri("/api/campaigns"))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "a")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"symbol\":\"X\"}")).build());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("owner").asLong()).isEqualTo(4242);
    }

    @Test
    void anRs256TokenAsFarcastersIssuerSignsItReachesApiMe() {
        TestKey rsa = TestKey.rsa("quick-auth-1");
        jwks.publish(rsa, key);
        String token = Tokens.asIssued(rsa, jwks.origin().toString(), DOMAIN, 12345, clock.instant(),
                clock.instant().plusSeconds(3600));
        Reply me = get("/api/me", "Bearer " + token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("fid").asLong()).isEqualTo(12345);
    }

    @Test
    void badTokensAre401ProblemsThatNeverEchoTheToken() {
        String expired = token(1, clock.instant().minusSeconds(1));
        Map<String, Object> claims = Tokens.claims(jwks.origin().toString(), "other.example.com", 1, clock.instant(),
                clock.instant().plusSeconds(600));
        String wrongAudience = Tokens.sign(key, claims);
        for (String token : List.of(expired, wrongAudience, "dev:1", "garbage")) {
            Reply reply = get("/api/me", "Bearer " + token);
            assertThat(reply.status()).as(token).isEqualTo(401);
            assertThat(reply.isProblem()).isTrue();
            assertThat(reply.json().get("type").asText()).endsWith("unauthenticated");
            assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(reply.body()).doesNotContain(token);
        }
        assertThat(get("/api/me", "Bearer " + expired).detail()).contains("expired");
        assertThat(get("/api/me", "Bearer " + wrongAudience).detail()).contains("aud");
    }

    @Test
    void unfetchableJwksIs503AndLogsVerificationError() {
        jwks.answerStatus(502);
        String token = token(1, clock.instant().plusSeconds(600));
        try (LogCapture log = new LogCapture("dev.basenft.http.auth")) {
            Reply reply = get("/api/me", "Bearer " + token);
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.isProblem()).isTrue();
            assertThat(reply.json().get("type").asText()).endsWith("auth-unavailable");
            assertThat(reply.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("WARNING Verification error: ")
                    .contains("HTTP 502"));
            assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(token));
        }
        jwks.answerStatus(200);
        assertThat(get("/api/me", "Bearer " + token).status()).isEqualTo(200);
    }

    @Test
    void devTokensOnlyWorkWhenTheSettingsAllowThem() {
        assertThat(get("/api/me", "Bearer dev:5").status()).isEqualTo(401);
        try (TestServer dev = new TestServer()) {
            assertThat(dev.get("/api/me", 5).json().get("fid").asLong()).isEqualTo(5);
        }
    }
}
