package dev.basenft.app.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A stand-in for Farcaster's Quick Auth server in the browser tests: a JWKS at {@code /.well-known/jwks.json} on a loopback
 * port with one Ed25519 key, and tokens signed with it as the real issuer shapes them ({@code iss} = this origin,
 * {@code aud} = the app's domain, {@code sub} = the FID as a string, {@code exp}). The server under test verifies them
 * like any real token; the tests choose their expiry. Not thread-safe to start or close.
 */
final class QuickAuthIssuer implements AutoCloseable {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String KID = "browser-test-key";

    private final KeyPair key;
    private final HttpServer server;

    private QuickAuthIssuer(KeyPair key, HttpServer server) {
        this.key = key;
        this.server = server;
    }

    static QuickAuthIssuer start() {
        try {
            KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            // The X.509 encoding of an Ed25519 public key ends with the 32 raw bytes a JWK's "x" carries.
            byte[] encoded = key.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            byte[] jwks = ("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"EdDSA\",\"use\":\"sig\",\"kid\":\"" + KID
                    + "\",\"x\":\"" + B64.encodeToString(raw) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
            return new QuickAuthIssuer(key, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make Ed25519 keys", e);
        }
    }

    /** The issuer origin, for {@code QUICK_AUTH_ORIGIN}. */
    URI origin() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * A signed token.
     *
     * @param fid the user; positive
     * @param audience the app's domain ({@code APP_DOMAIN}); never blank
     * @param expiresAt its {@code exp}; never null
     */
    String token(long fid, String audience, Instant expiresAt) {
        if (fid <= 0) {
            throw new IllegalArgumentException("fid must be positive, got " + fid);
        }
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(expiresAt, "expiresAt");
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}";
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"" + origin() + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + fid + "\",\"iat\":" + now
                + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
