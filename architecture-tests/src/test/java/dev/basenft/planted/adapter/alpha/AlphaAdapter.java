package dev.basenft.planted.adapter.alpha;

import dev.basenft.planted.adapter.beta.BetaAdapter;
import dev.basenft.planted.core.service.ReadsTheClock;

/** Violations: an adapter using another adapter, and core's service rather than a port. */
public final class AlphaAdapter {
    private final BetaAdapter other = new BetaAdapter();
    private final ReadsTheClock service = new ReadsTheClock();

    public void run() {
        other.call();
        service.now();
    }
}
