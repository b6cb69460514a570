package dev.basenft.core.port.out;

import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import java.time.Instant;
import java.util.Optional;

/**
 * The responses to POST requests that carried an {@code Idempotency-Key} (layer 1 of
 * docs/architecture.md#exactly-once), per caller. Safe for concurrent use.
 */
public interface IdempotencyRecords {

    /** The stored response for the caller's key, or empty. */
    Optional<Record> find(Fid caller, String key);

    /**
     * Stores {@code record} unless the caller's key already has one.
     *
     * @return the record now stored for the key: {@code record}, or the earlier one when another request won the race
     */
    Record putIfAbsent(Fid caller, String key, Record record);

    /**
     * A stored response.
     *
     * @param requestHash a digest of the request (method, path, body) that produced it; never blank
     * @param status the HTTP status
     * @param body the response body; never null
     * @param createdAt never null
     */
    record Record(String requestHash, int status, String body, Instant createdAt) {
        public Record {
            Require.text("requestHash", requestHash, 1, 200);
            Require.notNull("body", body);
            Require.notNull("createdAt", createdAt);
        }
    }
}
