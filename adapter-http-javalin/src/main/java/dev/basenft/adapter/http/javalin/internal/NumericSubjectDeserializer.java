package dev.basenft.adapter.http.javalin.internal;

import io.jsonwebtoken.io.DeserializationException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jjwt's Jackson deserializer, except that an integral {@code sub} becomes its decimal string. Farcaster's issuer sends the
 * FID as a string of digits, but the client library declares it a number and other issuers send a JSON number, which plain
 * jjwt rejects ({@code Expected String, found Integer}); the signature is checked over the raw bytes, so this conversion
 * cannot weaken it. Negative or too large numbers become strings the authenticator then refuses; fractional or other
 * non-string subjects are left alone and still rejected by jjwt. Thread-safe.
 */
public final class NumericSubjectDeserializer implements Deserializer<Map<String, ?>> {

    private final JacksonDeserializer<Map<String, ?>> delegate = new JacksonDeserializer<>();

    @Override
    public Map<String, ?> deserialize(Reader reader) throws DeserializationException {
        return withStringSubject(delegate.deserialize(reader));
    }

    /** @deprecated jjwt calls the {@link Reader} form; this one exists because the interface still declares it. */
    @Override
    @Deprecated
    public Map<String, ?> deserialize(byte[] bytes) throws DeserializationException {
        return deserialize(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
    }

    private static Map<String, ?> withStringSubject(Map<String, ?> map) {
        if (map == null) {
            return null;
        }
        Object sub = map.get("sub");
        if (sub instanceof Integer || sub instanceof Long || sub instanceof BigInteger) {
            Map<String, Object> copy = new LinkedHashMap<>(map);
            copy.put("sub", sub.toString());
            return copy;
        }
        return map;
    }
}
