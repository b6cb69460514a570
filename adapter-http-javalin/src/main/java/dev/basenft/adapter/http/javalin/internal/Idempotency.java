package dev.basenft.adapter.http.javalin.internal;

import dev.basenft.core.model.Fid;
import dev.basenft.core.port.out.IdempotencyRecords;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Layer 1 of docs/architecture.md#exactly-once: every POST carries an {@code Idempotency-Key}; a repeat with the same
 * key and the same request (method, path, media type, body bytes) gets the first response again, byte for byte, with
 * {@code Idempotent-Replayed: true}; the same key with another request is refused with 422. Responses live in the
 * {@link IdempotencyRecords} port, per caller.
 *
 * <p>Only outcomes that a repeat would reproduce anyway are stored: 2xx, and the 400/404/422 answers to the request as sent.
 * Transient ones (409 "not mined yet" or "not ready", 413, 5xx) are not, so a retry with the same key can succeed later.
 *
 * <p>Requests with the same caller and key are serialized in this process: a second one waits for the first to finish and
 * then gets its stored answer, so two concurrent retries run the use case once. Only requests with that exact caller and key
 * wait; a slow upload holds up nobody else. Across processes the port's {@code putIfAbsent} decides which response every retry gets; the port has no
 * "in progress" state, so two servers racing on one key may both run the use case (see the module README). Thread-safe.
 */
public final class Idempotency {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";
    /** Set on a replayed response. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyRecords records;
    private final InstantSource clock;
    /** The requests running now, by caller and key; a latch opens when its request is done. */
    private final ConcurrentHashMap<String, CountDownLatch> running = new ConcurrentHashMap<>();

    /**
     * @param records where responses are kept; never null
     * @param clock stamps stored responses; never null
     */
    public Idempotency(IdempotencyRecords records, InstantSource clock) {
        this.records = Objects.requireNonNull(records, "records");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks the header value.
     *
     * @return the key
     * @throws ProblemException 400 when missing, too long, or not printable ASCII
     */
    public static String requireKey(String header) {
        if (header == null || header.isEmpty()) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the Idempotency-Key header is required on every POST: send a "
                    + "new unique value (a UUID, say) per request, and the same value only to retry that request",
                    List.of(Problem.Error.field(HEADER, "required"))).exception();
        }
        if (header.length() > MAX_KEY_LENGTH || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw Problem.of(Problem.Kind.BAD_REQUEST, "the Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters without spaces",
                    List.of(Problem.Error.field(HEADER, "1–" + MAX_KEY_LENGTH + " printable ASCII characters")))
                    .exception();
        }
        return header;
    }

    /**
     * Runs {@code action} once per caller and key.
     *
     * @param caller the authenticated caller; never null
     * @param key a key accepted by {@link #requireKey}; never null
     * @param body the request body; its hash is taken after {@code action} has read what it needs
     * @param action produces the response; must turn its own failures into problem responses rather than throw
     * @return the response to send: the action's, a replay, or a 422 for a reused key
     */
    public ApiResponse execute(Fid caller, String key, RequestBody body, Supplier<ApiResponse> action) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        String id = caller.value() + "\u0000" + key;
        while (true) {
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch earlier = running.putIfAbsent(id, mine);
            if (earlier == null) {
                try {
                    return executeAlone(caller, key, body, action);
                } finally {
                    running.remove(id, mine);
                    mine.countDown();
                }
            }
            // The same key is being served: wait, then look again (usually finding its stored answer).
            try {
                earlier.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a request with the same Idempotency-Key", e);
            }
        }
    }

    private ApiResponse executeAlone(Fid caller, String key, RequestBody body, Supplier<ApiResponse> action) {
        Optional<IdempotencyRecords.Record> earlier = records.find(caller, key);
        if (earlier.isPresent()) {
            return answerFrom(earlier.get(), body.requestHash(), key);
        }
        ApiResponse response = action.get();
        if (!storable(response.status())) {
            return response;
        }
        String hash = body.requestHash();
        IdempotencyRecords.Record stored = records.putIfAbsent(caller, key,
                new IdempotencyRecords.Record(hash, response.status(), response.bodyText(), clock.instant()));
        // Another server may have stored first; then every retry must get that response, not ours.
        return stored.body().equals(response.bodyText()) && stored.status() == response.status()
                ? response : answerFrom(stored, hash, key);
    }

    private static ApiResponse answerFrom(IdempotencyRecords.Record record, String requestHash, String key) {
        if (!record.requestHash().equals(requestHash)) {
            return ApiResponse.problem(Problem.of(Problem.Kind.IDEMPOTENCY_KEY_REUSED, "the Idempotency-Key '" + key
                    + "' was already used for a different request (method, path or body); use a new key for a new request",
                    List.of(Problem.Error.field(HEADER, "already used for a different request"))));
        }
        return new ApiResponse(record.status(), record.body().getBytes(StandardCharsets.UTF_8),
                record.status() >= 400 ? Problem.MEDIA_TYPE : ApiResponse.JSON, Map.of(REPLAYED_HEADER, "true"));
    }

    private static boolean storable(int status) {
        return (status >= 200 && status < 300) || status == 400 || status == 404 || status == 422;
    }
}
