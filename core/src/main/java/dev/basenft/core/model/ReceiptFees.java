package dev.basenft.core.model;

import java.util.Optional;

/**
 * What a mined transaction cost its sender, as its receipt reports it: the price per gas actually charged, and on the OP
 * stack (Base) the L1 data fee charged on top of the L2 gas. Immutable and thread-safe.
 *
 * @param effectiveGasPrice the receipt's {@code effectiveGasPrice}: base fee plus the tip actually paid; never null
 * @param l1Fee the receipt's {@code l1Fee}; empty on a chain that reports none (anvil, Ethereum); never null
 */
public record ReceiptFees(Wei effectiveGasPrice, Optional<Wei> l1Fee) {

    public ReceiptFees {
        Require.notNull("effectiveGasPrice", effectiveGasPrice);
        Require.notNull("l1Fee", l1Fee);
    }

    /** The L2 execution fee of {@code gasUsed} gas: gas × effective price. */
    public Wei l2Fee(long gasUsed) {
        if (gasUsed < 0) {
            throw new IllegalArgumentException("gasUsed must not be negative, got " + gasUsed);
        }
        return effectiveGasPrice.times(gasUsed);
    }

    /** Everything paid for a transaction that used {@code gasUsed} gas: the L2 fee plus the L1 data fee, if any. */
    public Wei total(long gasUsed) {
        return l2Fee(gasUsed).plus(l1Fee.orElse(Wei.ZERO));
    }
}
