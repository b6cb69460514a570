package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.IdempotencyRecords;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link IdempotencyRecords} on the {@code idempotency_keys} table, keyed by (caller, key). {@link #putIfAbsent} is an
 * {@code INSERT … ON CONFLICT DO NOTHING}: when two requests race, the loser waits for the winner's commit and then reads its
 * record. Thread-safe.
 */
final class PgIdempotencyRecords implements IdempotencyRecords {

    /** The longest Idempotency-Key kept; the column's CHECK says the same. */
    static final int MAX_KEY_LENGTH = 255;

    private final Jdbi jdbi;

    PgIdempotencyRecords(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Record> find(Fid caller, String key) {
        Require.notNull("caller", caller);
        checkKey(key);
        return jdbi.withHandle(h -> find(h, caller, key));
    }

    @Override
    public Record putIfAbsent(Fid caller, String key, Record record) {
        Require.notNull("caller", caller);
        checkKey(key);
        Require.notNull("record", record);
        return jdbi.withHandle(h -> {
            int inserted = h.createUpdate("INSERT INTO idempotency_keys (caller_fid, key, request_hash, status, body,"
                            + " created_at) VALUES (:caller, :key, :hash, :status, :body, :createdAt)"
                            + " ON CONFLICT (caller_fid, key) DO NOTHING")
                    .bind("caller", caller.value())
                    .bind("key", key)
                    .bind("hash", record.requestHash())
                    .bind("status", record.status())
                    .bind("body", record.body())
                    .bind("createdAt", Codec.timestamp(record.createdAt()))
                    .execute();
            if (inserted == 1) {
                return record;
            }
            return find(h, caller, key).orElseThrow(() -> new IllegalStateException(
                    "idempotency key of caller " + caller + " conflicted but no record is stored for it"));
        });
    }

    private static Optional<Record> find(Handle h, Fid caller, String key) {
        return h.createQuery("SELECT request_hash, status, body, created_at FROM idempotency_keys"
                        + " WHERE caller_fid = :caller AND key = :key")
                .bind("caller", caller.value())
                .bind("key", key)
                .map((rs, ctx) -> new Record(rs.getString("request_hash"), rs.getInt("status"), rs.getString("body"),
                        Codec.instant(rs, "created_at")))
                .findOne();
    }

    private static void checkKey(String key) {
        Require.notNull("key", key);
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key must have 1 to " + MAX_KEY_LENGTH + " characters, got " + key.length());
        }
    }
}
