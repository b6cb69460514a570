package dev.basenft.app.wiring;

import dev.basenft.app.config.Settings;
import dev.basenft.core.planning.ChainCapacity;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * The batch size, in-flight cap and worker concurrency a process runs with: each one set in the environment wins; the rest
 * come from the chain's latest block gas limit through {@link ChainCapacity}, or, when the chain cannot be read at start,
 * from the settings' fallback defaults with a warning (an RPC outage at start must not keep a process from starting; the
 * worker waits for the chain anyway).
 *
 * <p>The server uses the batch size (it plans the batches at distribute), the worker the in-flight cap and the concurrency
 * (it mints whatever batches were planned, asking each one's own estimate, so a server and a worker that sized differently
 * still mint every batch correctly, only less densely). Immutable and thread-safe.
 *
 * @param batchSize recipients per batch planned
 * @param maxInFlight batches with unmined transactions at once
 * @param workerConcurrency batches a worker drives at once
 * @param description one line saying what was chosen and from what, for the start-up log; never null
 * @param source where the values came from; never null
 */
public record ChainSizing(int batchSize, int maxInFlight, int workerConcurrency, String description, Source source) {

    /** Where a {@link ChainSizing} came from. */
    public enum Source {
        /** Every value was set in the environment; the chain was not read. */
        SET,
        /** The values not set were sized from the chain's block gas limit. */
        CHAIN,
        /** The chain could not be read at start: the values not set are the fallback defaults. */
        FALLBACK
    }

    public ChainSizing {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Sizes from the chain unless every value is set.
     *
     * @param settings never null
     * @param blockGasLimit reads the latest block's gas limit; called at most once, only when something is not set; any
     *     runtime exception it throws means the chain cannot be read now
     */
    public static ChainSizing resolve(Settings settings, LongSupplier blockGasLimit) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(blockGasLimit, "blockGasLimit");
        OptionalInt batch = settings.explicitBatchSize();
        OptionalInt inFlight = settings.explicitMaxInFlight();
        OptionalInt concurrency = settings.explicitWorkerConcurrency();
        if (batch.isPresent() && inFlight.isPresent() && concurrency.isPresent()) {
            return new ChainSizing(batch.getAsInt(), inFlight.getAsInt(), concurrency.getAsInt(),
                    "batch " + batch.getAsInt() + ", in-flight " + inFlight.getAsInt() + ", concurrency "
                            + concurrency.getAsInt() + ": all set (BATCH_SIZE, MAX_IN_FLIGHT, WORKER_CONCURRENCY)", Source.SET);
        }
        long gasLimit;
        ChainCapacity.BatchSizing sized;
        try {
            gasLimit = blockGasLimit.getAsLong();
            ChainCapacity capacity = ChainCapacity.ofMintBatch(gasLimit, settings.gasMarginPercent());
            // A BATCH_SIZE that is set decides how many batches a block holds, and so the in-flight cap that follows.
            sized = batch.isPresent() ? capacity.sizingFor(batch.getAsInt()) : capacity.sizing();
        } catch (RuntimeException e) {
            int b = batch.orElse(settings.batchSize());
            int f = inFlight.orElse(settings.maxInFlight());
            int c = concurrency.orElse(settings.workerConcurrency());
            return new ChainSizing(b, f, c, "could not size from the chain (" + e.getMessage() + "); using batch " + b
                    + ", in-flight " + f + ", concurrency " + c + " (the defaults, or what is set); restart once the RPC "
                    + "answers to size from the chain", Source.FALLBACK);
        }
        int b = sized.batchSize();
        int f = inFlight.orElse(sized.maxInFlight());
        // Each thread holds its batch while it waits for the receipt: fewer threads than in-flight slots leave slots unused.
        int c = concurrency.orElse(Math.min(ChainCapacity.MAX_CONCURRENCY, Math.max(sized.workerConcurrency(), f)));
        String line = String.format(Locale.ROOT, "sized from the chain: block gas limit %,d, per-transaction cap %,d, "
                        + "%,d gas per recipient + %,d per batch, margin %d %% -> batch %d%s, %d per block (%,d gas asked "
                        + "each), in-flight %d%s, concurrency %d%s",
                gasLimit, ChainCapacity.BASE_TRANSACTION_GAS_CAP, ChainCapacity.ESTIMATED_GAS_PER_RECIPIENT,
                ChainCapacity.ESTIMATED_GAS_PER_BATCH, settings.gasMarginPercent(), b, set(batch, "BATCH_SIZE"),
                sized.batchesPerBlock(), sized.gasAskedPerBatch(), f, set(inFlight, "MAX_IN_FLIGHT"), c,
                set(concurrency, "WORKER_CONCURRENCY"));
        return new ChainSizing(b, f, c, line, Source.CHAIN);
    }

    private static String set(OptionalInt value, String name) {
        return value.isPresent() ? " (" + name + ")" : "";
    }
}
