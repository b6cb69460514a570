package dev.basenft.adapter.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.http.javalin.support.JwksServer;
import dev.basenft.adapter.http.javalin.support.LogCapture;
import dev.basenft.adapter.http.javalin.support.TestKey;
import dev.basenft.adapter.http.javalin.support.Tokens;
import dev.basenft.core.model.Fid;
import dev.basenft.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Quick Auth verification against a local JWKS server with generated RSA (the real issuer's RS256), Ed25519 and ES256 keys
 * and a hand-moved clock: the accepted tokens, the bad tokens a verifier must refuse, and the JWKS caching rules.
 */
class QuickAuthAuthenticatorTest {

    private static final String DOMAIN = "miniapp.example.com";
    private static final long FID = 12345;
    /** One RSA 2048 key for the whole class: generating one takes a while, and it is only ever read. */
    private static final TestKey RSA = TestKey.rsa("rs-1");

    private JwksServer jwks;
    private MutableClock clock;
    private TestKey ed;
    private TestKey es;
    private TestKey rs;
    private Authenticator auth;

    @BeforeEach
    void start() throws Exception {
        jwks = new JwksServer();
        clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        ed = TestKey.ed25519("ed-1");
        es = TestKey.es256("es-1");
        rs = RSA;
        jwks.publish(rs, ed, es);
        auth = QuickAuthAuthenticator.create(new AuthSettings(jwks.origin(), DOMAIN, false, "production"), clock);
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    private Map<String, Object> claims() {
        return Tokens.claims(jwks.origin().toString(), DOMAIN, FID, clock.instant().minusSeconds(5),
                clock.instant().plusSeconds(3600));
    }

    private Fid authenticate(String token) {
        return auth.authenticate("Bearer " + token);
    }

    private void assertRejected(String token, String because) {
        assertThatThrownBy(() -> authenticate(token))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(because)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
    }

    private String asIssued(TestKey key, long fid) {
        return Tokens.asIssued(key, jwks.origin().toString(), DOMAIN, fid, clock.instant().minusSeconds(5),
                clock.instant().plusSeconds(3600));
    }

    @Nested
    @DisplayName("accepted")
    class Accepted {

        @Test
        void rs256TokenAsFarcastersIssuerSignsIt() {
            String token = asIssued(rs, FID);
            String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            assertThat(header).isEqualTo("{\"alg\":\"RS256\",\"kid\":\"rs-1\"}");
            assertThat(payload).contains("\"sub\":\"12345\"");
            assertThat(authenticate(token)).isEqualTo(new Fid(FID));
        }

        @Test
        void rs256TokenWithNumericSub() {
            Map<String, Object> claims = claims();
            assertThat(claims.get("sub")).isInstanceOf(Long.class);
            assertThat(authenticate(Tokens.sign(rs, claims))).isEqualTo(new Fid(FID));
        }

        @Test
        void rsaJwkThatNamesRs256() {
            TestKey named = RSA.withJwkAlg("RS256");
            jwks.publish(named);
            assertThat(authenticate(asIssued(named, 7))).isEqualTo(new Fid(7));
        }

        @Test
        void theLargest64BitFid() {
            for (Object sub : List.of("9223372036854775807", Long.MAX_VALUE)) {
                Map<String, Object> claims = claims();
                claims.put("sub", sub);
                assertThat(authenticate(Tokens.sign(rs, claims))).as("sub %s", sub).isEqualTo(new Fid(Long.MAX_VALUE));
            }
        }

        @Test
        void validEd25519TokenWithNumericSubIsTheCallersFid() {
            Map<String, Object> claims = claims();
            assertThat(claims.get("sub")).isInstanceOf(Long.class);
            assertThat(authenticate(Tokens.sign(ed, claims))).isEqualTo(new Fid(FID));
        }

        @Test
        void validEs256Token() {
            assertThat(authenticate(Tokens.sign(es, claims()))).isEqualTo(new Fid(FID));
        }

        @Test
        void audienceAsAnArrayContainingTheDomain() {
            Map<String, Object> claims = claims();
            claims.put("aud", List.of("other.example.com", DOMAIN));
            assertThat(authenticate(Tokens.sign(ed, claims))).isEqualTo(new Fid(FID));
        }

        @Test
        void subjectAsADigitString() {
            Map<String, Object> claims = claims();
            claims.put("sub", "678");
            assertThat(authenticate(Tokens.sign(ed, claims))).isEqualTo(new Fid(678));
        }

        @Test
        void expiryOneSecondAheadIsStillValid() {
            Map<String, Object> claims = claims();
            claims.put("exp", clock.instant().getEpochSecond() + 1);
            assertThat(authenticate(Tokens.sign(ed, claims))).isEqualTo(new Fid(FID));
        }

        @Test
        void tokenWithoutKidWhenExactlyOneKeyOfItsTypeIsPublished() {
            Map<String, Object> header = Tokens.header(ed);
            header.remove("kid");
            assertThat(authenticate(Tokens.sign(ed, header, claims()))).isEqualTo(new Fid(FID));
        }

        @Test
        void jwkThatNamesItsAlgorithm() {
            TestKey named = TestKey.ed25519("named").withJwkAlg("EdDSA");
            jwks.publish(named);
            assertThat(authenticate(Tokens.sign(named, claims()))).isEqualTo(new Fid(FID));
        }

        @Test
        void authorizationSchemeIsCaseInsensitive() {
            assertThat(auth.authenticate("bearer " + Tokens.sign(ed, claims()))).isEqualTo(new Fid(FID));
        }
    }

    @Nested
    @DisplayName("rejected (401)")
    class Rejected {

        @Test
        void wrongAudience() {
            Map<String, Object> claims = claims();
            claims.put("aud", "evil.example.com");
            assertRejected(Tokens.sign(ed, claims), "aud");
        }

        @Test
        void audienceArrayWithoutTheDomain() {
            Map<String, Object> claims = claims();
            claims.put("aud", List.of("a.example.com", "b.example.com"));
            assertRejected(Tokens.sign(ed, claims), "aud");
        }

        @Test
        void missingAudience() {
            Map<String, Object> claims = claims();
            claims.remove("aud");
            assertRejected(Tokens.sign(ed, claims), "aud");
        }

        @Test
        void issuerThatOnlyStartsWithTheOrigin() {
            Map<String, Object> claims = claims();
            claims.put("iss", jwks.origin() + ".evil");
            assertRejected(Tokens.sign(ed, claims), "iss");
        }

        @Test
        void issuerOfTheRealFarcasterServerIsNotOurs() {
            Map<String, Object> claims = claims();
            claims.put("iss", "https://auth.farcaster.xyz.evil");
            assertRejected(Tokens.sign(ed, claims), "iss");
        }

        @Test
        void issuerWithTrailingSlash() {
            Map<String, Object> claims = claims();
            claims.put("iss", jwks.origin() + "/");
            assertRejected(Tokens.sign(ed, claims), "iss");
        }

        @Test
        void expired() {
            Map<String, Object> claims = claims();
            claims.put("exp", clock.instant().getEpochSecond() - 1);
            assertRejected(Tokens.sign(ed, claims), "expired");
        }

        @Test
        void expiringThisVerySecondWithZeroLeeway() {
            Map<String, Object> claims = claims();
            clock.set(Instant.parse("2026-03-01T12:00:00.400Z"));
            claims.put("exp", Instant.parse("2026-03-01T12:00:00Z").getEpochSecond());
            assertRejected(Tokens.sign(ed, claims), "expired");
        }

        @Test
        void missingExpiry() {
            Map<String, Object> claims = claims();
            claims.remove("exp");
            assertRejected(Tokens.sign(ed, claims), "no exp");
        }

        @Test
        void notYetValid() {
            Map<String, Object> claims = claims();
            claims.put("nbf", clock.instant().getEpochSecond() + 60);
            assertRejected(Tokens.sign(ed, claims), "not valid yet");
        }

        @Test
        void algNoneUnsigned() {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "none", "typ", "JWT"));
            assertRejected(Tokens.unsigned(header, claims()), "unsupported");
        }

        @Test
        void algNoneWithTheKidOfARealKey() {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "none", "kid", "ed-1"));
            assertRejected(Tokens.unsigned(header, claims()), "unsupported");
        }

        @Test
        void strippedSignature() {
            String token = Tokens.sign(ed, claims());
            assertRejected(token.substring(0, token.lastIndexOf('.') + 1), "not a well-formed signed JWT");
        }

        @Test
        void tamperedPayload() {
            String token = Tokens.sign(ed, claims());
            String[] parts = token.split("\\.");
            Map<String, Object> forged = claims();
            forged.put("sub", 1);
            assertRejected(parts[0] + "." + Tokens.encode(forged) + "." + parts[2], "signature");
        }

        @Test
        void tamperedEs256Payload() {
            String token = Tokens.sign(es, claims());
            String[] parts = token.split("\\.");
            Map<String, Object> forged = claims();
            forged.put("sub", 1);
            assertRejected(parts[0] + "." + Tokens.encode(forged) + "." + parts[2], "signature");
        }

        @Test
        void tamperedSignature() {
            String token = Tokens.sign(ed, claims());
            String[] parts = token.split("\\.");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            signature[10] ^= 0x01;
            assertRejected(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(signature), "signature");
        }

        @Test
        void signedByAnotherKeyUnderAKnownKid() {
            TestKey impostor = TestKey.ed25519("ed-1");
            assertRejected(Tokens.sign(impostor, claims()), "signature");
        }

        @Test
        void es256SignedByAnotherKeyUnderAKnownKid() {
            TestKey impostor = TestKey.es256("es-1");
            assertRejected(Tokens.sign(impostor, claims()), "signature");
        }

        @Test
        void unknownKid() {
            TestKey stranger = TestKey.ed25519("stranger");
            assertRejected(Tokens.sign(stranger, claims()), "no key in the JWKS matches");
        }

        @Test
        void hs256KeyedWithThePublicKey() {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "HS256", "kid", "ed-1", "typ", "JWT"));
            // jjwt refuses the algorithm before any key is chosen: we only allow EdDSA and ES256.
            assertRejected(Tokens.hs256(ed.pair().getPublic().getEncoded(), header, claims()), "signature");
            String jwk = ed.publicJwkJson();
            assertRejected(Tokens.hs256(jwk.getBytes(StandardCharsets.UTF_8), header, claims()), "signature");
        }

        @Test
        void algThatDoesNotMatchTheKeyType() {
            // ES256 header naming the Ed25519 key, signed with the ES256 key: the Ed25519 JWK cannot verify ES256.
            Map<String, Object> header = Tokens.header(es);
            header.put("kid", "ed-1");
            assertRejected(Tokens.sign(es, header, claims()), "no key in the JWKS matches");
            // And the other way round.
            Map<String, Object> other = Tokens.header(ed);
            other.put("kid", "es-1");
            assertRejected(Tokens.sign(ed, other, claims()), "no key in the JWKS matches");
        }

        @Test
        void algThatDoesNotMatchTheJwksOwnAlg() {
            TestKey mislabelled = TestKey.ed25519("ed-x").withJwkAlg("ES256");
            jwks.publish(mislabelled);
            assertRejected(Tokens.sign(mislabelled, claims()), "no key in the JWKS matches");
        }

        @Test
        void twoCandidateKeysAndNoKid() {
            TestKey second = TestKey.ed25519("ed-2");
            jwks.publish(ed, second);
            Map<String, Object> header = Tokens.header(ed);
            header.remove("kid");
            assertRejected(Tokens.sign(ed, header, claims()), "more than one key");
        }

        @Test
        void subjectThatIsNotAFid() {
            for (Object sub : List.of("alice", -5, 0, 1.5, true, List.of(1))) {
                Map<String, Object> claims = claims();
                claims.put("sub", sub);
                assertThatThrownBy(() -> authenticate(Tokens.sign(ed, claims)))
                        .as("sub %s", sub).isInstanceOf(AuthenticationException.class);
            }
        }

        @Test
        void subjectStringsThatAreNotExactlyAFid() {
            // Only the issuer's own form, fid.toString(): no zero, sign, padding, leading zero, non-ASCII digit, or overflow.
            List<Object> subs = List.of("0", "-1", "+1", "01", " 1", "1 ", "1.0", "1e3", "0x10", "12a", "",
                    "\u0661\u0662", "\uff11", "9223372036854775808", "99999999999999999999",
                    new java.math.BigInteger("9223372036854775808"), -9);
            for (Object sub : subs) {
                Map<String, Object> claims = claims();
                claims.put("sub", sub);
                assertThatThrownBy(() -> authenticate(Tokens.sign(rs, claims))).as("sub '%s'", sub)
                        .isInstanceOf(AuthenticationException.class).hasMessageContaining("sub");
            }
        }

        @Test
        void missingSubject() {
            Map<String, Object> claims = claims();
            claims.remove("sub");
            assertRejected(Tokens.sign(rs, claims), "sub");
        }

        @Test
        void tamperedRs256Payload() {
            String token = asIssued(rs, FID);
            String[] parts = token.split("\\.");
            Map<String, Object> forged = claims();
            forged.put("sub", "1");
            assertRejected(parts[0] + "." + Tokens.encode(forged) + "." + parts[2], "signature");
        }

        @Test
        void rs256SignedByAnotherRsaKeyUnderAKnownKid() {
            assertRejected(asIssued(TestKey.rsa("rs-1"), FID), "signature");
        }

        @Test
        void rsaKeyShorterThan2048Bits() {
            TestKey weak = TestKey.rsa("weak", 1024);
            jwks.publish(weak, ed);
            assertRejected(asIssued(weak, FID), "at least 2048");
            assertThat(authenticate(Tokens.sign(ed, claims()))).as("a weak key does not spoil the rest of the JWKS")
                    .isEqualTo(new Fid(FID));
        }

        @Test
        void rsaPssAndOtherRsaAlgorithmsAreRefused() {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "PS256", "kid", "rs-1", "typ", "JWT"));
            assertRejected(Tokens.ps256(rs, header, claims()), "signature");
            Map<String, Object> rs512 = new LinkedHashMap<>(Map.of("alg", "RS512", "kid", "rs-1", "typ", "JWT"));
            assertRejected(Tokens.rs512(rs, rs512, claims()), "signature");
        }

        @Test
        void hs256KeyedWithTheRsaPublicKey() {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "HS256", "kid", "rs-1", "typ", "JWT"));
            assertRejected(Tokens.hs256(rs.pair().getPublic().getEncoded(), header, claims()), "signature");
            assertRejected(Tokens.hs256(rs.publicJwkJson().getBytes(StandardCharsets.UTF_8), header, claims()), "signature");
        }

        @Test
        void algNoneWithTheKidOfTheRsaKey() {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "none", "kid", "rs-1"));
            assertRejected(Tokens.unsigned(header, claims()), "unsupported");
        }

        @Test
        void rs256ThatNamesAKeyOfAnotherType() {
            // RS256 under the EC key's kid, signed with the RSA key: an EC JWK cannot verify RS256.
            Map<String, Object> header = Tokens.header(rs);
            header.put("kid", "es-1");
            assertRejected(Tokens.sign(rs, header, claims()), "no key in the JWKS matches");
            // EdDSA and ES256 under the RSA key's kid.
            Map<String, Object> ed25519 = Tokens.header(ed);
            ed25519.put("kid", "rs-1");
            assertRejected(Tokens.sign(ed, ed25519, claims()), "no key in the JWKS matches");
            Map<String, Object> p256 = Tokens.header(es);
            p256.put("kid", "rs-1");
            assertRejected(Tokens.sign(es, p256, claims()), "no key in the JWKS matches");
        }

        @Test
        void rs256AgainstAnRsaJwkThatNamesAnotherAlgorithm() {
            TestKey mislabelled = RSA.withJwkAlg("PS256");
            jwks.publish(mislabelled);
            assertRejected(asIssued(mislabelled, FID), "no key in the JWKS matches");
        }

        @Test
        void keyEmbeddedInTheHeaderIsIgnored() {
            // An attacker signs with their own key and ships its JWK in the header, under a known kid.
            TestKey attacker = TestKey.ed25519("ed-1");
            Map<String, Object> header = Tokens.header(attacker);
            header.put("jwk", new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                    readTree(attacker.publicJwkJson()), Map.class));
            assertRejected(Tokens.sign(attacker, header, claims()), "signature");
        }

        @Test
        void garbage() {
            for (String token : List.of("x", "a.b", "a.b.c", "....", "eyJhbGciOiJFZERTQSJ9.e30.AAAA")) {
                assertThatThrownBy(() -> authenticate(token)).as(token).isInstanceOf(AuthenticationException.class);
            }
        }

        @Test
        void missingOrMalformedAuthorizationHeader() {
            assertThatThrownBy(() -> auth.authenticate(null)).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("missing Authorization");
            assertThatThrownBy(() -> auth.authenticate("Basic dXNlcjpwYXNz")).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("Bearer");
            assertThatThrownBy(() -> auth.authenticate("Bearer ")).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> auth.authenticate("Bearer a b")).isInstanceOf(AuthenticationException.class);
        }

        @Test
        void devTokensWhenDevAuthIsOff() {
            assertThatThrownBy(() -> auth.authenticate("Bearer dev:42")).isInstanceOf(AuthenticationException.class);
        }
    }

    @Nested
    @DisplayName("JWKS fetching and caching")
    class Caching {

        @Test
        void fetchesLazilyOnceAndCaches() {
            assertThat(jwks.fetches()).isZero();
            authenticate(Tokens.sign(ed, claims()));
            authenticate(Tokens.sign(es, claims()));
            clock.advance(Duration.ofMinutes(9));
            authenticate(Tokens.sign(ed, claims()));
            assertThat(jwks.fetches()).isEqualTo(1);
        }

        @Test
        void unknownKidRefetchesAtMostOncePer30Seconds() {
            authenticate(Tokens.sign(ed, claims()));
            assertThat(jwks.fetches()).isEqualTo(1);
            TestKey stranger = TestKey.ed25519("stranger");
            for (int i = 0; i < 5; i++) {
                assertRejected(Tokens.sign(stranger, claims()), "no key");
            }
            assertThat(jwks.fetches()).as("no refetch within 30 s of the last fetch").isEqualTo(1);
            clock.advance(Duration.ofSeconds(30));
            assertRejected(Tokens.sign(stranger, claims()), "no key");
            assertThat(jwks.fetches()).as("one refetch once 30 s have passed").isEqualTo(2);
            assertRejected(Tokens.sign(stranger, claims()), "no key");
            assertThat(jwks.fetches()).isEqualTo(2);
        }

        @Test
        void rsaKeyRotationToANewKid() {
            String old = asIssued(rs, FID);
            assertThat(authenticate(old)).isEqualTo(new Fid(FID));
            // The issuer rotates: only the new RSA key is published from now on.
            TestKey next = TestKey.rsa("rs-2");
            jwks.publish(next, ed, es);
            clock.advance(Duration.ofSeconds(10));
            assertRejected(asIssued(next, FID), "no key in the JWKS matches");
            assertThat(jwks.fetches()).as("within 30 s of the last fetch the new kid is not fetched").isEqualTo(1);
            clock.advance(Duration.ofSeconds(20));
            assertThat(authenticate(asIssued(next, 99))).isEqualTo(new Fid(99));
            assertThat(jwks.fetches()).as("one refetch for the new kid").isEqualTo(2);
            assertThat(authenticate(asIssued(next, 100))).isEqualTo(new Fid(100));
            assertThat(jwks.fetches()).isEqualTo(2);
            assertRejected(old, "no key in the JWKS matches");
            assertThat(jwks.fetches()).as("the retired kid cannot make us refetch within 30 s").isEqualTo(2);
        }

        @Test
        void keyRotationIsPickedUpByOneRefetch() {
            authenticate(Tokens.sign(ed, claims()));
            TestKey next = TestKey.ed25519("ed-2");
            jwks.publish(ed, next);
            clock.advance(Duration.ofSeconds(10));
            assertRejected(Tokens.sign(next, claims()), "no key");
            assertThat(jwks.fetches()).as("within 30 s the new kid is not fetched").isEqualTo(1);
            clock.advance(Duration.ofSeconds(20));
            assertThat(authenticate(Tokens.sign(next, claims()))).isEqualTo(new Fid(FID));
            assertThat(jwks.fetches()).isEqualTo(2);
            assertThat(authenticate(Tokens.sign(next, claims()))).isEqualTo(new Fid(FID));
            assertThat(authenticate(Tokens.sign(ed, claims()))).isEqualTo(new Fid(FID));
            assertThat(jwks.fetches()).isEqualTo(2);
        }

        @Test
        void cacheExpiresAfterTenMinutes() {
            authenticate(Tokens.sign(ed, claims()));
            jwks.publish(es);
            clock.advance(Duration.ofMinutes(10).minusSeconds(1));
            assertThat(authenticate(Tokens.sign(ed, claims()))).as("still cached").isEqualTo(new Fid(FID));
            assertThat(jwks.fetches()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            assertRejected(Tokens.sign(ed, claims()), "no key");
            assertThat(jwks.fetches()).as("one fetch at expiry; the miss right after does not refetch again").isEqualTo(2);
        }

        @Test
        void concurrentRequestsShareOneInFlightFetch() throws Exception {
            jwks.delay(Duration.ofMillis(400));
            String token = Tokens.sign(ed, claims());
            List<Callable<Fid>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(() -> authenticate(token));
            }
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Future<Fid> result : pool.invokeAll(calls)) {
                    assertThat(result.get()).isEqualTo(new Fid(FID));
                }
            }
            assertThat(jwks.fetches()).isEqualTo(1);
        }

        @Test
        void jwksServerErrorIsUnavailableAndLogged() {
            jwks.answerStatus(500);
            try (LogCapture log = new LogCapture("dev.basenft.http.auth")) {
                String token = Tokens.sign(ed, claims());
                assertThatThrownBy(() -> authenticate(token)).isInstanceOf(AuthenticationUnavailableException.class)
                        .hasMessageContaining("HTTP 500");
                assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("Verification error: ")
                        .contains(jwks.origin() + "/.well-known/jwks.json"));
                assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(token));
            }
        }

        @Test
        void jwksNotJsonIsUnavailable() {
            jwks.serveRaw("<html>maintenance</html>");
            assertThatThrownBy(() -> authenticate(Tokens.sign(ed, claims())))
                    .isInstanceOf(AuthenticationUnavailableException.class).hasMessageContaining("not a valid JWK set");
        }

        @Test
        void jwksUnreachableIsUnavailable() {
            jwks.close();
            assertThatThrownBy(() -> authenticate(Tokens.sign(ed, claims())))
                    .isInstanceOf(AuthenticationUnavailableException.class);
        }

        @Test
        void jwksFetchTimesOutAfterFiveSeconds() {
            jwks.delay(Duration.ofSeconds(8));
            long started = System.nanoTime();
            assertThatThrownBy(() -> authenticate(Tokens.sign(ed, claims())))
                    .isInstanceOf(AuthenticationUnavailableException.class).hasMessageContaining("5 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(4900),
                    Duration.ofMillis(7500));
        }

        @Test
        void recoversOnceTheJwksIsBack() {
            jwks.answerStatus(503);
            assertThatThrownBy(() -> authenticate(Tokens.sign(ed, claims())))
                    .isInstanceOf(AuthenticationUnavailableException.class);
            jwks.answerStatus(200);
            assertThat(authenticate(Tokens.sign(ed, claims()))).isEqualTo(new Fid(FID));
        }
    }

    @Nested
    @DisplayName("remembered verifications")
    class Remembered {

        @Test
        void aReusedTokenStillExpiresOnTheSecond() {
            Map<String, Object> claims = claims();
            claims.put("exp", clock.instant().getEpochSecond() + 60);
            String token = Tokens.sign(ed, claims);
            for (int i = 0; i < 3; i++) {
                assertThat(authenticate(token)).isEqualTo(new Fid(FID));
            }
            clock.advance(Duration.ofSeconds(59));
            assertThat(authenticate(token)).isEqualTo(new Fid(FID));
            clock.advance(Duration.ofSeconds(1));
            assertRejected(token, "expired");
        }

        @Test
        void aReusedTokenIsVerifiedAgainOnceTheKeysAreRefetched() {
            String token = Tokens.sign(ed, claims());
            authenticate(token);
            authenticate(token);
            authenticate(token);
            jwks.publish(es);
            clock.advance(Duration.ofMinutes(10));
            assertRejected(token, "no key in the JWKS matches");
            assertThat(jwks.fetches()).isEqualTo(2);
        }

        @Test
        void aTamperedCopyOfAReusedTokenIsStillRejected() {
            String token = Tokens.sign(ed, claims());
            authenticate(token);
            authenticate(token);
            String[] parts = token.split("\\.");
            Map<String, Object> forged = claims();
            forged.put("sub", 1);
            assertRejected(parts[0] + "." + Tokens.encode(forged) + "." + parts[2], "signature");
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            signature[0] ^= 0x01;
            assertRejected(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(signature), "signature");
        }

        @Test
        void aReusedTokenIsUnavailableLikeAnyOtherWhenTheKeysCannotBeRefetched() {
            String token = Tokens.sign(ed, claims());
            authenticate(token);
            authenticate(token);
            jwks.answerStatus(500);
            clock.advance(Duration.ofMinutes(10));
            assertThatThrownBy(() -> authenticate(token)).isInstanceOf(AuthenticationUnavailableException.class);
        }
    }

    @Nested
    @DisplayName("dev auth")
    class DevAuth {

        @Test
        void acceptedOnlyWhenEnabledInDevelopment() {
            Authenticator dev = QuickAuthAuthenticator.create(new AuthSettings(jwks.origin(), DOMAIN, true, "development"),
                    clock);
            assertThat(dev.authenticate("Bearer dev:42")).isEqualTo(new Fid(42));
            assertThat(dev.authenticate("Bearer " + Tokens.sign(ed, claims()))).as("real tokens still work")
                    .isEqualTo(new Fid(FID));
            for (String bad : List.of("dev:", "dev:0", "dev:-1", "dev:abc", "dev:1.5", "dev:99999999999999999999")) {
                assertThatThrownBy(() -> dev.authenticate("Bearer " + bad)).as(bad)
                        .isInstanceOf(AuthenticationException.class);
            }
        }

        @Test
        void offInDevelopmentUnlessAllowed() {
            Authenticator devEnvOnly = QuickAuthAuthenticator.create(
                    new AuthSettings(jwks.origin(), DOMAIN, false, "development"), clock);
            assertThatThrownBy(() -> devEnvOnly.authenticate("Bearer dev:42")).isInstanceOf(AuthenticationException.class);
        }
    }

    private static Object readTree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
