package dev.basenft.adapter.http.javalin.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A request body read at most once, through a limit and a digest: reading past {@code limit} bytes throws
 * {@link BodyTooLargeException} (answered 413), and {@link #requestHash()} is the SHA-256 of method, path, media type and
 * every body byte, which is what an {@code Idempotency-Key} is bound to. Streams, so a large upload is never held as one
 * array. Not thread-safe: one request, one thread.
 */
public final class RequestBody {

    private final Supplier<InputStream> opener;
    private final long limit;
    private final MessageDigest digest;
    private long read;
    private InputStream stream;
    private String hash;

    /**
     * @param opener opens the request's input stream, on the first read and not before: opening it is what makes a server
     *     answer "100 Continue" to a client that waits for one, so a body refused by its declared length is never asked for;
     *     never null
     * @param limit the most bytes accepted
     * @param declaredLength the Content-Length, or -1 when the body is chunked
     * @param method the request method, covered by the request hash
     * @param path the request path, covered by the request hash
     * @param mediaType the body's media type without parameters, covered by the request hash; may be null
     * @throws BodyTooLargeException at once when the declared length is over the limit, before anything is read
     */
    public RequestBody(Supplier<InputStream> opener, long limit, long declaredLength, String method, String path, String mediaType) {
        this.opener = Objects.requireNonNull(opener, "opener");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
        if (declaredLength > limit) {
            throw new BodyTooLargeException(limit);
        }
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        String head = Objects.requireNonNull(method, "method") + " " + Objects.requireNonNull(path, "path") + "\n"
                + (mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT)) + "\n";
        digest.update(head.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The body as a stream. Every call returns the same stream, positioned where the last reader left it; closing it does
     * not close the request.
     */
    public InputStream stream() {
        if (stream == null) {
            stream = new FilterInputStream(Objects.requireNonNull(opener.get(), "the opened request stream")) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        count(1);
                        digest.update((byte) b);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                        digest.update(buffer, offset, n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    // Skipped bytes would be missing from the digest; read them instead.
                    byte[] sink = new byte[(int) Math.min(Math.max(n, 0), 8192)];
                    return Math.max(read(sink, 0, sink.length), 0);
                }

                @Override
                public void close() {
                    // The servlet container owns the request stream.
                }
            };
        }
        return stream;
    }

    /**
     * The whole body (within the limit).
     *
     * @throws UnreadableBodyException when the client's body cannot be read (disconnect, broken chunking)
     */
    public byte[] bytes() {
        try {
            return stream().readAllBytes();
        } catch (IOException e) {
            throw new UnreadableBodyException(e);
        }
    }

    /**
     * The SHA-256 (hex) of method, path, media type and the whole body. Reads whatever of the body is still unread first, so
     * the hash covers all of it even when a handler stopped reading early.
     */
    public String requestHash() {
        if (hash == null) {
            try {
                stream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UnreadableBodyException(e);
            }
            hash = HexFormat.of().formatHex(digest.digest());
        }
        return hash;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw new BodyTooLargeException(limit);
        }
    }

    /** The client's body could not be read (it disconnected, or sent a broken body); answered 400. */
    public static final class UnreadableBodyException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public UnreadableBodyException(IOException cause) {
            super("the request body could not be read completely (" + cause.getClass().getSimpleName() + ")", cause);
        }
    }

    /** The body is over the limit; answered 413 naming the limit. */
    public static final class BodyTooLargeException extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final long limit;

        BodyTooLargeException(long limit) {
            super("the request body is larger than the limit of " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
