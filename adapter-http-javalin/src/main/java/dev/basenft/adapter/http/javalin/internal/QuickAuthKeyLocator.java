package dev.basenft.adapter.http.javalin.internal;

import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.PublicJwk;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the JWKS key that verifies a token, as jose's key selection does: the key type follows from the header's
 * {@code alg}, then the {@code kid} (when the token has one), then the JWK's own {@code alg} and {@code use}; more than one
 * match is an error. Only {@code RS256} (RSA keys of at least {@value #MIN_RSA_BITS} bits: what Farcaster's issuer signs with),
 * {@code EdDSA} (Ed25519) and {@code ES256} are accepted, so {@code none}, HMAC (where an attacker could sign with the
 * <em>public</em> key as the secret) and the RSA-PSS {@code PS*} family never get a key, and an {@code alg} only ever gets a
 * key of its own type.
 *
 * <p>Keys embedded in the token ({@code jwk}, {@code jku}, {@code x5c}) are ignored: the JWKS is the only source. Thread-safe.
 */
public final class QuickAuthKeyLocator extends LocatorAdapter<Key> {

    /** The smallest RSA modulus accepted; shorter keys can be factored, so a token they sign proves nothing. */
    public static final int MIN_RSA_BITS = 2048;

    private final JwksCache jwks;

    /** @param jwks where the keys come from; never null */
    public QuickAuthKeyLocator(JwksCache jwks) {
        this.jwks = Objects.requireNonNull(jwks, "jwks");
    }

    @Override
    protected Key locate(JwsHeader header) {
        String alg = header.getAlgorithm();
        KeyKind kind = KeyKind.forAlgorithm(alg)
                .orElseThrow(() -> new KeySelectionException("the token's alg '" + alg + "' is not accepted (RS256, EdDSA or ES256 "
                        + "only)"));
        String kid = header.getKeyId();
        JwksCache.KeySet keys = jwks.keys();
        List<PublicJwk<?>> matches = select(keys, kind, alg, kid);
        if (matches.isEmpty()) {
            // Maybe the issuer rotated its keys: refetch once, unless we fetched moments ago (then the kid is just unknown).
            Optional<JwksCache.KeySet> reloaded = jwks.reloadAfterMiss(keys);
            if (reloaded.isPresent()) {
                matches = select(reloaded.get(), kind, alg, kid);
            }
        }
        if (matches.isEmpty()) {
            throw new KeySelectionException("no key in the JWKS matches the token (alg " + alg
                    + (kid == null ? ", no kid" : ", kid '" + kid + "'") + ")");
        }
        if (matches.size() > 1) {
            throw new KeySelectionException("more than one key in the JWKS matches the token (alg " + alg
                    + (kid == null ? ", no kid" : ", kid '" + kid + "'") + "); refusing to guess");
        }
        Key key = matches.get(0).toKey();
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new KeySelectionException("the JWKS key" + (kid == null ? "" : " '" + kid + "'") + " is an RSA key of "
                    + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS + " are required");
        }
        return key;
    }

    private static List<PublicJwk<?>> select(JwksCache.KeySet keys, KeyKind kind, String alg, String kid) {
        return keys.keys().stream()
                .filter(kind::matches)
                .filter(jwk -> kid == null || kid.equals(jwk.getId()))
                .filter(jwk -> jwk.getAlgorithm() == null || jwk.getAlgorithm().equals(alg))
                .filter(jwk -> jwk.get("use") == null || "sig".equals(jwk.get("use")))
                .toList();
    }

    /** The key type an accepted {@code alg} needs. */
    private enum KeyKind {
        /** RSA JWKs carry no {@code crv}. */
        RSA("RSA", null),
        ED25519("OKP", "Ed25519"),
        P256("EC", "P-256");

        private final String kty;
        private final String crv;

        KeyKind(String kty, String crv) {
            this.kty = kty;
            this.crv = crv;
        }

        static Optional<KeyKind> forAlgorithm(String alg) {
            if ("RS256".equals(alg)) {
                return Optional.of(RSA);
            }
            if ("EdDSA".equals(alg)) {
                return Optional.of(ED25519);
            }
            if ("ES256".equals(alg)) {
                return Optional.of(P256);
            }
            return Optional.empty();
        }

        boolean matches(PublicJwk<?> jwk) {
            return kty.equals(jwk.getType()) && (crv == null || crv.equals(jwk.get("crv")));
        }
    }
}
