package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.Fid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed full verification, so a client that reuses its token (the Quick Auth SDK does, until 15 s before
 * {@code exp}) is not charged a signature check per request: on this project's 2-core reference machine the JDK's Ed25519 and
 * ES256 verification cost about 0.6 ms each, which alone would cap the API near 3,000 requests/s.
 *
 * <p>What makes a hit as good as a verification: the entry is keyed by the SHA-256 of the exact token (any change to it is a
 * miss, and the token itself is not kept); {@code exp} is checked on every hit with the same 0 s rule; and an entry is only
 * trusted while the JWKS key set is the very one that was current before the token was verified, so any refetch (rotation,
 * the 10-minute expiry) sends the token through full verification again. Issuer and audience are fixed per authenticator, and
 * {@code nbf} only becomes more true with time.
 *
 * <p>Bounded: when full, expired entries are dropped, and if that is not enough, all of them. Thread-safe.
 */
public final class VerifiedTokenCache {

    /**
     * A verified token.
     *
     * @param fid the caller; never null
     * @param expiresAtSecond the token's {@code exp}
     * @param keys the JWKS key set that was current before the token was verified; never null
     */
    public record Entry(Fid fid, long expiresAtSecond, JwksCache.KeySet keys) {
        public Entry {
            Objects.requireNonNull(fid, "fid");
            Objects.requireNonNull(keys, "keys");
        }
    }

    private final int capacity;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param capacity most entries kept; positive */
    public VerifiedTokenCache(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The entry for {@code token}, or null. */
    public Entry get(String token) {
        return entries.get(digest(token));
    }

    /** Remembers a verified token. */
    public void put(String token, Entry entry, long nowSecond) {
        if (entries.size() >= capacity) {
            entries.values().removeIf(e -> e.expiresAtSecond() <= nowSecond);
            if (entries.size() >= capacity) {
                entries.clear();
            }
        }
        entries.put(digest(token), entry);
    }

    /** How many entries are kept. */
    public int size() {
        return entries.size();
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
