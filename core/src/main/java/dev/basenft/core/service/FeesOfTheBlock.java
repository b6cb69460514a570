package dev.basenft.core.service;

import dev.basenft.core.model.Fees;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.NewBlocks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The market fees as of the newest block this process knows of, read from the node at most once per block.
 *
 * <p>A batch that waited for an in-flight slot reads the fees again before it is signed (see {@link BatchProcessor}); on a
 * chain with room for two dozen mints a block, one read per signing put a node round trip into the one path that signs a
 * process's batches one after another (measured on 400M-gas blocks: about 125 ms a signing instead of 80). The fees only
 * change with a block, so the batches signed within one block share one read. Without news of blocks
 * ({@link NewBlocks#head()} unknown) a read is kept for {@code maxAge}, about a block. Thread-safe: two threads may both
 * read at a block's start, and either answer is that block's.
 */
final class FeesOfTheBlock {

    private record Read(long block, Instant at, Fees fees) {
    }

    private final Chain chain;
    private final NewBlocks blocks;
    private final InstantSource time;
    private final Duration maxAge;
    private volatile Read last;

    /**
     * @param maxAge how long a read is used at most, whatever the block news; positive
     */
    FeesOfTheBlock(Chain chain, NewBlocks blocks, InstantSource time, Duration maxAge) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.time = Objects.requireNonNull(time, "time");
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        this.maxAge = maxAge;
    }

    /** The fees to sign with now: this block's, read once. */
    Fees now() {
        long head = blocks.head();
        Instant at = time.instant();
        Read read = last;
        if (read != null && read.block() == head && at.isBefore(read.at().plus(maxAge))) {
            return read.fees();
        }
        Fees fees = chain.currentFees();
        last = new Read(head, at, fees);
        return fees;
    }
}
