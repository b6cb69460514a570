package dev.basenft.core.port.in;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Wei;
import java.util.List;
import java.util.Optional;

/**
 * What minting the rest of a campaign should cost now, and whether the minter can pay it: for the creator before
 * {@code distribute}, and for the operator funding the minter.
 */
public interface EstimateCostQuery {

    /**
     * @throws CampaignNotFoundException when the campaign is not the owner's
     * @throws dev.basenft.core.model.ChainUnavailableException when the chain cannot be read
     */
    CostEstimate estimate(Fid owner, CampaignId id);

    /**
     * Batches of one size and what each costs.
     *
     * @param recipients recipients per batch, 1 or more
     * @param count how many such batches, 1 or more
     * @param gas gas each is expected to use
     * @param l1Fee the L1 data fee of each; {@link Wei#ZERO} on a chain without one. Never null.
     */
    record BatchGroup(int recipients, int count, long gas, Wei l1Fee) {
        public BatchGroup {
            Require.atLeast("recipients", recipients, 1);
            Require.atLeast("count", count, 1);
            if (gas < 0) {
                throw new IllegalArgumentException("gas must not be negative, got " + gas);
            }
            Require.notNull("l1Fee", l1Fee);
        }
    }

    /**
     * The estimate. The expected total prices the gas at what a transaction pays now (base fee + tip); the worst case at
     * the max fee a mint would be signed with, which is what the minter's balance must cover for a batch to be sent.
     *
     * @param recipients recipients still to mint (not yet planned, or in batches not yet completed)
     * @param batchSize the planned batch size
     * @param batches the batches still to mint, grouped by size; empty when nothing is left. Never null.
     * @param gas gas of all of them
     * @param gasFrom where the gas per batch comes from; never null
     * @param baseFeePerGas the latest block's base fee; never null
     * @param priorityFeePerGas the tip a mint offers; never null
     * @param maxFeePerGas the max fee a mint would be signed with now; never null
     * @param l2Fee gas × (base fee + tip); never null
     * @param l1Fee the L1 data fees; zero on a chain without them. Never null.
     * @param l1FeeFrom how the L1 fee was found, or why it is zero; never null
     * @param total {@code l2Fee + l1Fee}; never null
     * @param worstCase gas × max fee + L1 fee; never null
     * @param minter the wallet that pays; never null
     * @param minterBalance its balance now; never null
     */
    record CostEstimate(long recipients, int batchSize, List<BatchGroup> batches, long gas, String gasFrom,
            Wei baseFeePerGas, Wei priorityFeePerGas, Wei maxFeePerGas, Wei l2Fee, Wei l1Fee, String l1FeeFrom, Wei total,
            Wei worstCase, Address minter, Wei minterBalance) {

        public CostEstimate {
            batches = List.copyOf(Require.notNull("batches", batches));
            Require.notNull("gasFrom", gasFrom);
            Require.notNull("baseFeePerGas", baseFeePerGas);
            Require.notNull("priorityFeePerGas", priorityFeePerGas);
            Require.notNull("maxFeePerGas", maxFeePerGas);
            Require.notNull("l2Fee", l2Fee);
            Require.notNull("l1Fee", l1Fee);
            Require.notNull("l1FeeFrom", l1FeeFrom);
            Require.notNull("total", total);
            Require.notNull("worstCase", worstCase);
            Require.notNull("minter", minter);
            Require.notNull("minterBalance", minterBalance);
        }

        /** The number of batches still to mint. */
        public int batchCount() {
            return batches.stream().mapToInt(BatchGroup::count).sum();
        }

        /** How much the minter lacks to pay the worst case; empty when its balance covers it. */
        public Optional<Wei> shortfall() {
            return worstCase.isGreaterThan(minterBalance)
                    ? Optional.of(new Wei(worstCase.value().subtract(minterBalance.value()))) : Optional.empty();
        }
    }
}
