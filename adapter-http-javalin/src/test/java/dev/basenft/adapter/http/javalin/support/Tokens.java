package dev.basenft.adapter.http.javalin.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds compact JWTs by hand, good and bad. {@link #claims} makes a numeric {@code sub}; {@link #asIssued} the form
 * Farcaster's issuer sends (RS256, {@code sub} as a digit string).
 */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {
    }

    /** Quick Auth's claims: numeric sub, iss, aud, iat, exp. */
    public static Map<String, Object> claims(String issuer, Object audience, long fid, Instant issuedAt, Instant expires) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", fid);
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("iat", issuedAt.getEpochSecond());
        if (expires != null) {
            claims.put("exp", expires.getEpochSecond());
        }
        return claims;
    }

    /**
     * A token the way {@code auth.farcaster.xyz} issues one: jose's {@code SignJWT} with {@code {alg: 'RS256', kid}},
     * {@code sub} set by {@code setSubject(fid.toString())}, and the wallet {@code address} in the payload.
     */
    public static String asIssued(TestKey rsaKey, String issuer, String audience, long fid, Instant issuedAt, Instant expires) {
        if (!rsaKey.alg().equals("RS256")) {
            throw new IllegalArgumentException("rsaKey must be an RS256 key, got " + rsaKey.alg());
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("kid", rsaKey.kid());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("address", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iss", issuer);
        claims.put("exp", expires.getEpochSecond());
        claims.put("sub", Long.toString(fid));
        claims.put("aud", audience);
        return sign(rsaKey, header, claims);
    }

    /** The header a Quick Auth server would send for {@code key}. */
    public static Map<String, Object> header(TestKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.alg());
        header.put("kid", key.kid());
        header.put("typ", "JWT");
        return header;
    }

    /** Signs with {@code key}, whatever the header says. */
    public static String sign(TestKey key, Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(header) + "." + encode(claims);
        return input + "." + TestKey.b64(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A proper token from {@code key}. */
    public static String sign(TestKey key, Map<String, Object> claims) {
        return sign(key, header(key), claims);
    }

    /** {@code header.payload.} with no signature. */
    public static String unsigned(Map<String, Object> header, Map<String, Object> claims) {
        return encode(header) + "." + encode(claims) + ".";
    }

    /** HMAC-SHA256 over the signing input, keyed with {@code secret}. */
    public static String hs256(byte[] secret, Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(header) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + TestKey.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A genuine RSA-PSS signature (PS256) with {@code key}'s private key, whatever the header says. */
    public static String ps256(TestKey key, Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(header) + "." + encode(claims);
        try {
            Signature signature = Signature.getInstance("RSASSA-PSS");
            signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            signature.initSign(key.pair().getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + TestKey.b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A genuine RSASSA-PKCS1-v1_5 signature over SHA-512 (RS512) with {@code key}'s private key. */
    public static String rs512(TestKey key, Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(header) + "." + encode(claims);
        try {
            Signature signature = Signature.getInstance("SHA512withRSA");
            signature.initSign(key.pair().getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + TestKey.b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String encode(Map<String, Object> json) {
        try {
            return TestKey.b64(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
