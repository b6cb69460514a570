package dev.basenft.planted.core.service;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/** Violation: core reading the wall clock and randomness itself. */
public final class ReadsTheClock {
    public Instant now() {
        return Instant.now();
    }

    public int dice() {
        return new Random().nextInt(6);
    }

    public UUID id() {
        return UUID.randomUUID();
    }
}
