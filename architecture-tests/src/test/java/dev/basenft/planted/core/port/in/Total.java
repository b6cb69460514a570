package dev.basenft.planted.core.port.in;

import dev.basenft.planted.core.model.Amount;

/** A clean in-port. */
public interface Total {
    Amount total();
}
