package dev.basenft.core.model;

import java.util.UUID;

/**
 * Identifies a batch. Ids come from the {@code IdGenerator} port, so tests and embedders decide how they are made.
 *
 * @param value never null
 */
public record BatchId(UUID value) implements Comparable<BatchId> {

    public BatchId {
        Ids.require("batchId", value);
    }

    /** Parses the canonical UUID text form, naming the value when it is not one. */
    public static BatchId parse(String text) {
        return new BatchId(Ids.parse("batchId", text));
    }

    @Override
    public int compareTo(BatchId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
