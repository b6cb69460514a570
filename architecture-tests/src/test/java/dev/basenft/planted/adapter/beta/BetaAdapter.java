package dev.basenft.planted.adapter.beta;

import dev.basenft.planted.core.port.Port;

/** A clean adapter behind a port. */
public final class BetaAdapter implements Port {
    @Override
    public void call() {
    }
}
