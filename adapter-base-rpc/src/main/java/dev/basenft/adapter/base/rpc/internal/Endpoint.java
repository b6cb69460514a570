package dev.basenft.adapter.base.rpc.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One configured RPC URL and what we learnt about it: whether its chain id was checked, whether it serves the wrong chain,
 * and until when it is cooling down after a transport failure. Thread-safe (atomics only).
 */
final class Endpoint {

    enum ChainCheck { UNCHECKED, VERIFIED, WRONG_CHAIN }

    final int index;
    final JdkHttpService service;
    private final AtomicReference<ChainCheck> chainCheck = new AtomicReference<>(ChainCheck.UNCHECKED);
    private final AtomicReference<String> wrongChainReason = new AtomicReference<>();
    /** {@link System#nanoTime()} before which this endpoint is tried only after the healthy ones; 0 = healthy. */
    private final AtomicLong coolingUntil = new AtomicLong();

    Endpoint(int index, JdkHttpService service) {
        this.index = index;
        this.service = service;
    }

    String name() {
        return service.redactedUrl();
    }

    ChainCheck chainCheck() {
        return chainCheck.get();
    }

    void verified() {
        chainCheck.set(ChainCheck.VERIFIED);
    }

    void wrongChain(String reason) {
        wrongChainReason.set(reason);
        chainCheck.set(ChainCheck.WRONG_CHAIN);
    }

    String wrongChainReason() {
        return wrongChainReason.get();
    }

    boolean coolingDown(long now) {
        long until = coolingUntil.get();
        return until != 0 && now - until < 0;
    }

    void failed(long now, long cooldownNanos) {
        // Never 0, which means healthy.
        long until = now + cooldownNanos;
        coolingUntil.set(until == 0 ? 1 : until);
    }

    void succeeded() {
        coolingUntil.set(0);
    }
}
