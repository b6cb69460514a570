package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Fid;
import dev.basenft.core.port.out.IdempotencyRecords.Record;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.basenft.core.port.out.IdempotencyRecords}: the first response stored for a caller's key is the
 * one every later request with that key gets, even when requests race, and keys of different callers never collide.
 */
public abstract class IdempotencyRecordsContract extends StorageContract {

    private static Record record(String hash, int status, String body) {
        return new Record(hash, status, body, T0);
    }

    private static String freshKey() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void findsNothingBeforeAResponseIsStored() {
        assertThat(store.idempotency().find(randomOwner(), freshKey())).isEmpty();
    }

    @Test
    void storesTheFirstResponseAndReturnsIt() {
        Fid caller = randomOwner();
        String key = freshKey();
        Record first = record("sha256:aaa", 201, "{\"id\":\"1\"}");

        assertThat(store.idempotency().putIfAbsent(caller, key, first)).isEqualTo(first);
        assertThat(store.idempotency().find(caller, key)).contains(first);
    }

    @Test
    void keepsTheFirstResponseWhenTheKeyComesAgain() {
        Fid caller = randomOwner();
        String key = freshKey();
        Record first = record("sha256:aaa", 201, "{\"id\":\"1\"}");
        store.idempotency().putIfAbsent(caller, key, first);

        Record second = store.idempotency().putIfAbsent(caller, key, record("sha256:bbb", 202, "{\"id\":\"2\"}"));

        assertThat(second).isEqualTo(first);
        assertThat(store.idempotency().find(caller, key)).contains(first);
    }

    @Test
    void keepsDifferentCallersKeysApart() {
        String key = freshKey();
        Fid alice = randomOwner();
        Fid bob = randomOwner();
        Record alices = record("sha256:alice", 201, "alice");
        Record bobs = record("sha256:bob", 201, "bob");

        store.idempotency().putIfAbsent(alice, key, alices);
        store.idempotency().putIfAbsent(bob, key, bobs);

        assertThat(store.idempotency().find(alice, key)).contains(alices);
        assertThat(store.idempotency().find(bob, key)).contains(bobs);
    }

    @Test
    void givesEightRacingRequestsTheSameWinner() throws Exception {
        Fid caller = randomOwner();
        String key = freshKey();

        List<Record> seen = race(8, i -> store.idempotency().putIfAbsent(caller, key,
                record("sha256:" + i, 201, "response " + i)));

        Record winner = store.idempotency().find(caller, key).orElseThrow();
        assertThat(seen).allSatisfy(r -> assertThat(r).isEqualTo(winner));
    }
}
