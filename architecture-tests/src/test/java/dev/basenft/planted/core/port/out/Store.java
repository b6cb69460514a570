package dev.basenft.planted.core.port.out;

import dev.basenft.planted.core.model.Amount;

/** A clean out-port. */
public interface Store {
    Amount load();
}
