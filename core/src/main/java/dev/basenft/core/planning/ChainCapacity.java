package dev.basenft.core.planning;

import dev.basenft.core.model.Require;

/**
 * What one block of the chain can take of our mints, and the batch size, in-flight count and worker concurrency that fill it.
 * A pure value: the caller reads the block gas limit from the chain; {@link #sizing()} does the arithmetic. Immutable and
 * thread-safe.
 *
 * <p><b>Why the gas a batch asks for, not the gas it uses.</b> A block builder (anvil, op-geth) packs transactions by
 * the gas limit each one asks for, so a block of {@code blockGasLimit} holds {@code floor(blockGasLimit / asked)} of our
 * batches whatever they end up using. The worker asks for {@code eth_estimateGas} plus {@code gasMarginPercent}, and the
 * estimate of a {@code mintBatch} of {@code n} fresh recipients is close to linear: {@code gasPerBatch + gasPerRecipient × n}.
 *
 * <p><b>Where the gas figures come from.</b> {@link #ESTIMATED_GAS_PER_RECIPIENT} and {@link #ESTIMATED_GAS_PER_BATCH} are
 * measured constants, not read at start: the batch size is chosen when a process starts, before any campaign (and so any
 * collection to estimate against) exists, and every collection is a clone of the same implementation, so the figures are
 * the same for all of them. They come from the gas report of {@code contracts/README.md} (anvil, fresh recipients, a mint
 * through a clone: 9,478,657 gas used for 200, 16,543,610 for 350, so 47,100 per recipient and 58,700 fixed), scaled by
 * 64/63 for the gas the clone's DELEGATECALL keeps back (EIP-150), which {@code eth_estimateGas} includes: 47,848 per
 * recipient. Checked against the bench's ceiling run, whose two {@code eth_estimateGas} calls gave 14,985,785 for 312
 * recipients (the model says 14,988,576). The fixed part is rounded up to 80,000 to cover the first batch of a collection,
 * which also pays about 20,000 for the token counter's first write. A collection with a different implementation would
 * pass its own figures to the constructor.
 *
 * @param blockGasLimit the gas limit of the chain's latest block; at least 21,000
 * @param transactionGasCap the most gas one transaction may ask for (Base: {@value #BASE_TRANSACTION_GAS_CAP}, EIP-7825);
 *     at least 21,000. A chain whose block gas limit is lower is capped by the block instead
 * @param gasPerRecipient what the estimate grows by per fresh recipient; positive
 * @param gasPerBatch the estimate's fixed part per {@code mintBatch} transaction; not negative
 * @param gasMarginPercent what the worker adds to the estimate, 0 to 100
 */
public record ChainCapacity(long blockGasLimit, long transactionGasCap, long gasPerRecipient, long gasPerBatch,
        int gasMarginPercent) {

    /** Base's per-transaction gas cap, 2^24 (EIP-7825, enforced on Base). */
    public static final long BASE_TRANSACTION_GAS_CAP = 16_777_216L;
    /** {@code eth_estimateGas} per fresh recipient of our {@code mintBatch} through a clone; see the class comment. */
    public static final long ESTIMATED_GAS_PER_RECIPIENT = 47_848L;
    /** The estimate's fixed part per batch, with the first batch's counter write; see the class comment. */
    public static final long ESTIMATED_GAS_PER_BATCH = 80_000L;
    /** The fewest in-flight batches chosen: the former default, so a small block never makes the pipeline shallower. */
    public static final int MIN_IN_FLIGHT = 8;
    /**
     * Blocks a transaction holds its in-flight slot for, from signing until the worker has seen its receipt: the block it
     * waits for (up to one block time), the block that includes it, and the receipt poll and bookkeeping after it.
     */
    public static final int BLOCKS_IN_FLIGHT = 3;
    /** The most in-flight batches chosen (the setting's own upper bound). */
    public static final int MAX_IN_FLIGHT = 1000;
    /** The most worker threads chosen (the setting's own upper bound). */
    public static final int MAX_CONCURRENCY = 256;

    public ChainCapacity {
        Require.between("blockGasLimit", blockGasLimit, 21_000L, Long.MAX_VALUE / 200);
        Require.between("transactionGasCap", transactionGasCap, 21_000L, Long.MAX_VALUE / 200);
        Require.between("gasPerRecipient", gasPerRecipient, 1L, 100_000_000L);
        Require.between("gasPerBatch", gasPerBatch, 0L, 100_000_000L);
        Require.between("gasMarginPercent", gasMarginPercent, 0, 100);
    }

    /**
     * Our collection's figures ({@link #ESTIMATED_GAS_PER_RECIPIENT}, {@link #ESTIMATED_GAS_PER_BATCH}) on a chain with
     * Base's per-transaction cap.
     */
    public static ChainCapacity ofMintBatch(long blockGasLimit, int gasMarginPercent) {
        return new ChainCapacity(blockGasLimit, BASE_TRANSACTION_GAS_CAP, ESTIMATED_GAS_PER_RECIPIENT, ESTIMATED_GAS_PER_BATCH,
                gasMarginPercent);
    }

    /**
     * The gas a batch of {@code recipients} asks for: the estimate plus the margin, rounded up as the worker rounds it.
     *
     * @param recipients 1 or more
     */
    public long gasAsked(int recipients) {
        Require.between("recipients", recipients, 1, Integer.MAX_VALUE);
        long estimate = gasPerBatch + gasPerRecipient * recipients;
        return Math.ceilDiv(estimate * (100 + gasMarginPercent), 100);
    }

    /**
     * The batch size that puts the most recipients into one block, and what follows from it.
     *
     * <p>Every size from 1 to {@link BatchPlanner#MAX_BATCH_SIZE} is tried: a batch may ask for at most the per-transaction
     * cap (or the block, if smaller), a block holds {@code floor(blockGasLimit / asked)} of them, and the size with the most
     * recipients per block wins; of equals, the larger batch (fewer transactions, fewer nonces, less per-batch overhead).
     * In-flight: {@link #BLOCKS_IN_FLIGHT} blocks' worth of batches, never below {@link #MIN_IN_FLIGHT}. Concurrency: one
     * thread per in-flight batch (each holds its batch while it polls for the receipt) plus one block's worth that price
     * the next batches and take a slot the moment one frees.
     *
     * @throws IllegalArgumentException when not even a one-recipient batch fits into a block or under the cap
     */
    public BatchSizing sizing() {
        long perTransaction = Math.min(transactionGasCap, blockGasLimit);
        int bestSize = 0;
        long bestPerBlock = 0;
        for (int size = 1; size <= BatchPlanner.MAX_BATCH_SIZE; size++) {
            long asked = gasAsked(size);
            if (asked > perTransaction) {
                break;
            }
            long batches = blockGasLimit / asked;
            long perBlock = batches * size;
            if (perBlock >= bestPerBlock) {
                bestSize = size;
                bestPerBlock = perBlock;
            }
        }
        if (bestSize == 0) {
            throw new IllegalArgumentException("a mint of one recipient asks for " + gasAsked(1) + " gas, more than one "
                    + "transaction may have here (block gas limit " + blockGasLimit + ", per-transaction cap "
                    + transactionGasCap + ")");
        }
        return sizingFor(bestSize);
    }

    /**
     * As {@link #sizing()}, for a batch size chosen elsewhere ({@code BATCH_SIZE}): how many such batches a block holds,
     * and the in-flight cap and concurrency that keep it so. A batch asking for more than one transaction may have is
     * counted at the cap, which is what the worker then asks for.
     *
     * @param batchSize 1 to {@link BatchPlanner#MAX_BATCH_SIZE}
     */
    public BatchSizing sizingFor(int batchSize) {
        Require.between("batchSize", batchSize, 1, BatchPlanner.MAX_BATCH_SIZE);
        long asked = Math.min(gasAsked(batchSize), Math.min(transactionGasCap, blockGasLimit));
        int batchesPerBlock = (int) Math.max(1, Math.min(blockGasLimit / asked, MAX_IN_FLIGHT));
        int inFlight = (int) Math.min(MAX_IN_FLIGHT, Math.max(MIN_IN_FLIGHT, (long) batchesPerBlock * BLOCKS_IN_FLIGHT));
        int concurrency = (int) Math.min(MAX_CONCURRENCY, (long) inFlight + batchesPerBlock);
        return new BatchSizing(batchSize, batchesPerBlock, asked, inFlight, concurrency);
    }

    /**
     * What {@link #sizing()} chose. Immutable and thread-safe.
     *
     * @param batchSize recipients per batch, 1 to {@link BatchPlanner#MAX_BATCH_SIZE}
     * @param batchesPerBlock how many such batches one block holds; 1 or more
     * @param gasAskedPerBatch the gas limit one such batch asks for
     * @param maxInFlight batches with unmined transactions at once, 1 to {@value ChainCapacity#MAX_IN_FLIGHT}
     * @param workerConcurrency batches a worker drives at once, 1 to {@value ChainCapacity#MAX_CONCURRENCY}
     */
    public record BatchSizing(int batchSize, int batchesPerBlock, long gasAskedPerBatch, int maxInFlight,
            int workerConcurrency) {

        public BatchSizing {
            Require.between("batchSize", batchSize, 1, BatchPlanner.MAX_BATCH_SIZE);
            Require.between("batchesPerBlock", batchesPerBlock, 1, MAX_IN_FLIGHT);
            Require.between("gasAskedPerBatch", gasAskedPerBatch, 1L, Long.MAX_VALUE);
            Require.between("maxInFlight", maxInFlight, 1, MAX_IN_FLIGHT);
            Require.between("workerConcurrency", workerConcurrency, 1, MAX_CONCURRENCY);
        }

        /** Recipients one block holds at this size. */
        public long recipientsPerBlock() {
            return (long) batchSize * batchesPerBlock;
        }
    }
}
