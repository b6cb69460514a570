package dev.basenft.core.model;

/**
 * What adding recipients did.
 *
 * @param added rows stored
 * @param duplicates rows skipped because the address was already there or repeated
 */
public record IngestResult(long added, long duplicates) {

    public IngestResult {
        if (added < 0 || duplicates < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
