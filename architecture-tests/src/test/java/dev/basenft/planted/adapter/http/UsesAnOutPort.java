package dev.basenft.planted.adapter.http;

import dev.basenft.planted.core.model.Amount;
import dev.basenft.planted.core.port.in.Total;
import dev.basenft.planted.core.port.out.IdempotencyRecords;
import dev.basenft.planted.core.port.out.Store;

/** Violation: the HTTP adapter calls an out-port directly; the in-port, model and idempotency records are allowed. */
public final class UsesAnOutPort {

    Amount both(Total total, Store store, IdempotencyRecords records) {
        records.remember("key");
        total.total();
        return store.load();
    }
}
