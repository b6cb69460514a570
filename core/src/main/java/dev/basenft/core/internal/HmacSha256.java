package dev.basenft.core.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 {@link MessageDigest}. Core may depend on {@code java..} only, and the
 * JDK's {@code javax.crypto.Mac} sits outside it, so the two nested hashes are written out here: SHA-256 of
 * {@code (K ⊕ opad) ‖ SHA-256((K ⊕ ipad) ‖ message)}, K being the key padded to the 64-byte block (or its hash, when longer).
 *
 * <p>Stateless and thread-safe.
 */
public final class HmacSha256 {

    /** SHA-256's block size in bytes. */
    private static final int BLOCK_BYTES = 64;

    private HmacSha256() {
    }

    /**
     * The MAC of the concatenated {@code parts} under {@code key}.
     *
     * @param key any length; not null
     * @param parts the message, in pieces; not null, no null elements
     * @return 32 bytes
     */
    public static byte[] mac(byte[] key, byte[]... parts) {
        Objects.requireNonNull(key, "key");
        MessageDigest sha = sha256();
        byte[] block = new byte[BLOCK_BYTES];
        byte[] k = key.length > BLOCK_BYTES ? sha.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        byte[] pad = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            pad[i] = (byte) (block[i] ^ 0x36);
        }
        sha.update(pad);
        for (byte[] part : parts) {
            sha.update(Objects.requireNonNull(part, "part"));
        }
        byte[] inner = sha.digest();
        for (int i = 0; i < BLOCK_BYTES; i++) {
            pad[i] = (byte) (block[i] ^ 0x5c);
        }
        sha.update(pad);
        return sha.digest(inner);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
