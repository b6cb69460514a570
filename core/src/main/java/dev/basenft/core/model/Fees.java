package dev.basenft.core.model;

/**
 * EIP-1559 fee caps.
 *
 * @param maxFeePerGas the most paid per gas, base fee included; never below {@code maxPriorityFeePerGas}
 * @param maxPriorityFeePerGas the tip per gas; never null
 */
public record Fees(Wei maxFeePerGas, Wei maxPriorityFeePerGas) {

    public Fees {
        Require.notNull("maxFeePerGas", maxFeePerGas);
        Require.notNull("maxPriorityFeePerGas", maxPriorityFeePerGas);
        if (maxPriorityFeePerGas.isGreaterThan(maxFeePerGas)) {
            throw new IllegalArgumentException("maxPriorityFeePerGas (" + maxPriorityFeePerGas
                    + ") must not exceed maxFeePerGas (" + maxFeePerGas + ")");
        }
    }

    /** The usual choice: {@code maxFeePerGas = 2 × baseFee + priority}, so the cap survives several full blocks. */
    public static Fees forBaseFee(Wei baseFee, Wei priority) {
        return new Fees(baseFee.times(2).plus(priority), priority);
    }

    /**
     * Fees for a same-nonce replacement: each cap raised by {@code percent} (nodes want at least 10 %), and never below
     * {@code current} market fees.
     */
    public Fees bumped(int percent, Fees current) {
        return new Fees(maxFeePerGas.bumpedByPercent(percent).max(current.maxFeePerGas),
                maxPriorityFeePerGas.bumpedByPercent(percent).max(current.maxPriorityFeePerGas));
    }

    /** The most this fee allows a transaction with {@code gasLimit} to cost. */
    public Wei maxCost(long gasLimit) {
        return maxFeePerGas.times(gasLimit);
    }
}
