package dev.basenft.core.model;

/**
 * What the minter paid for a campaign's mints, summed over its COMPLETED batches from their receipts. Immutable and
 * thread-safe.
 *
 * @param batches completed batches whose fees are known
 * @param batchesWithoutFees completed batches whose receipt did not report fees (mined before fees were recorded); their
 *     cost is not in the sums
 * @param gasUsed gas used by the {@code batches}
 * @param l2Fees gas used × effective gas price, summed; never null
 * @param l1Fees the L1 data fees, summed (0 on a chain that charges none); never null
 */
public record FeesPaid(long batches, long batchesWithoutFees, long gasUsed, Wei l2Fees, Wei l1Fees) {

    /** Nothing paid yet. */
    public static final FeesPaid NONE = new FeesPaid(0, 0, 0, Wei.ZERO, Wei.ZERO);

    public FeesPaid {
        if (batches < 0 || batchesWithoutFees < 0 || gasUsed < 0) {
            throw new IllegalArgumentException("batches, batchesWithoutFees and gasUsed must not be negative");
        }
        Require.notNull("l2Fees", l2Fees);
        Require.notNull("l1Fees", l1Fees);
    }

    /** L2 and L1 fees together. */
    public Wei total() {
        return l2Fees.plus(l1Fees);
    }

    /** This sum with one more completed batch; {@code batch} not null. */
    public FeesPaid plus(BatchOverview batch) {
        Require.notNull("batch", batch);
        if (batch.status() != BatchStatus.COMPLETED) {
            return this;
        }
        if (batch.fees().isEmpty() || batch.gasUsed().isEmpty()) {
            return new FeesPaid(batches, batchesWithoutFees + 1, gasUsed, l2Fees, l1Fees);
        }
        long gas = batch.gasUsed().get();
        ReceiptFees fees = batch.fees().get();
        return new FeesPaid(batches + 1, batchesWithoutFees, gasUsed + gas, l2Fees.plus(fees.l2Fee(gas)),
                l1Fees.plus(fees.l1Fee().orElse(Wei.ZERO)));
    }
}
