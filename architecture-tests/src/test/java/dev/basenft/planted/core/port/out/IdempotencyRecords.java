package dev.basenft.planted.core.port.out;

/** The one out-port the HTTP adapter may use. */
public interface IdempotencyRecords {
    void remember(String key);
}
