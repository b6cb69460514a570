package dev.basenft.adapter.http.javalin.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds compact JWTs by hand, good and bad, the way Quick Auth issues them (numeric {@code sub}). */
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

    public static String encode(Map<String, Object> json) {
        try {
            return TestKey.b64(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
