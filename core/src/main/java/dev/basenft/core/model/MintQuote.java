package dev.basenft.core.model;

/**
 * What a mint will cost: the gas limit (estimate plus margin, capped per transaction) and the fees to sign with.
 *
 * @param gasLimit positive
 * @param fees never null
 */
public record MintQuote(long gasLimit, Fees fees) {

    public MintQuote {
        Require.positive("gasLimit", gasLimit);
        Require.notNull("fees", fees);
    }

    /** The most the transaction can cost: what the minter must hold before signing. */
    public Wei maxCost() {
        return fees.maxCost(gasLimit);
    }
}
