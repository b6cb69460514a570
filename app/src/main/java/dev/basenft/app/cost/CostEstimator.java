package dev.basenft.app.cost;

import dev.basenft.adapter.base.rpc.BaseRpcChain;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Fid;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.RecipientStatus;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.CampaignNotFoundException;
import dev.basenft.core.port.in.EstimateCostQuery;
import dev.basenft.core.port.in.ReadStatusQuery;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntToLongFunction;

/**
 * Estimates what minting the rest of a campaign costs now, the way the worker will mint it: the recipients left, in
 * batches of {@code BATCH_SIZE} (and one smaller batch for the remainder); each batch size's gas from the chain's own
 * {@code eth_estimateGas} of such a mint on the campaign's collection (fresh addresses, as recipients are); the gas priced
 * at the next block's base fee plus the tip; plus, on Base, the L1 data fee the GasPriceOracle charges a signed transaction of
 * that size. Before a collection is attached there is nothing to estimate the gas on: the worker's per-recipient rule is
 * used and said so.
 *
 * <p>Every batch is priced at the next block's base fee: the base fee then moves with the chain's traffic (EIP-1559: up to
 * an eighth per block on Ethereum's rules), so a long drop pays what the chain charges while it runs. On a chain where
 * the mints are the only traffic and each fills less than its block's target (anvil's default 30M gas limit with
 * 200-recipient batches), the base fee falls a few per cent with every batch and the estimate overstates by that.
 * {@code eth_estimateGas} also asks a little more gas than a mint uses (about 2 %: the collection is a proxy, and a
 * call through it keeps 1/64 of its gas back). Thread-safe; every call reads the chain.
 */
public final class CostEstimator implements EstimateCostQuery {

    private final ReadStatusQuery read;
    private final BaseRpcChain chain;
    private final int batchSize;
    private final Wei maxFeeCeiling;
    private final IntToLongFunction fallbackGas;

    /**
     * @param batchSize {@code BATCH_SIZE}
     * @param maxFeeCeiling {@code MAX_FEE_PER_GAS}: no mint is signed with a higher max fee
     * @param fallbackGas the gas of a batch of n recipients when the campaign has no collection to estimate on
     */
    public CostEstimator(ReadStatusQuery read, BaseRpcChain chain, int batchSize, Wei maxFeeCeiling,
            IntToLongFunction fallbackGas) {
        this.read = Objects.requireNonNull(read, "read");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.batchSize = Require.atLeast("batchSize", batchSize, 1);
        this.maxFeeCeiling = Objects.requireNonNull(maxFeeCeiling, "maxFeeCeiling");
        this.fallbackGas = Objects.requireNonNull(fallbackGas, "fallbackGas");
    }

    @Override
    public CostEstimate estimate(Fid owner, CampaignId id) {
        ReadStatusQuery.CampaignView view = read.campaign(owner, id).orElseThrow(() -> new CampaignNotFoundException(id));
        Campaign campaign = view.campaign();
        // Not yet planned, or planned into batches not yet mined: what is still to pay for.
        long recipients = view.summary().recipients().get(RecipientStatus.PENDING)
                + view.summary().recipients().get(RecipientStatus.PROCESSING);
        Fees market = chain.currentFees();
        Wei priority = market.maxPriorityFeePerGas();
        // What the next block charges, not what the latest one did: after a block well under its target (a deploy on a quiet
        // chain) the two differ by up to an eighth.
        Wei baseFee = chain.nextBaseFee();
        Wei maxFee = market.maxFeePerGas().isGreaterThan(maxFeeCeiling) ? maxFeeCeiling : market.maxFeePerGas();
        Wei pricePaid = baseFee.plus(priority).isGreaterThan(maxFee) ? maxFee : baseFee.plus(priority);
        Fees signedWith = new Fees(maxFee, priority.isGreaterThan(maxFee) ? maxFee : priority);
        Address minter = chain.minter();
        long nonce = chain.pendingNonce(minter);
        Optional<Address> collection = campaign.contract();

        List<BatchGroup> groups = new ArrayList<>();
        long full = recipients / batchSize;
        int rest = (int) (recipients % batchSize);
        boolean noOracle = false;
        Optional<String> refused = Optional.empty();
        List<int[]> sizeAndCount = new ArrayList<>();
        if (full > 0) {
            sizeAndCount.add(new int[] {batchSize, Math.toIntExact(full)});
        }
        if (rest > 0) {
            sizeAndCount.add(new int[] {rest, 1});
        }
        for (int[] group : sizeAndCount) {
            Priced priced = price(group[0], group[1], collection, signedWith, nonce);
            groups.add(priced.group());
            noOracle |= priced.noOracle();
            refused = refused.or(priced::refused);
        }
        long gas = 0;
        Wei l1 = Wei.ZERO;
        for (BatchGroup g : groups) {
            gas = Math.addExact(gas, Math.multiplyExact(g.gas(), (long) g.count()));
            l1 = l1.plus(g.l1Fee().times(g.count()));
        }
        Wei l2 = pricePaid.times(gas);
        String gasFrom = refused.isPresent()
                ? "eth_estimateGas refused the mint (" + refused.get() + "): the worker's rule of thumb per recipient"
                : collection.isPresent()
                ? "eth_estimateGas of a mint of each batch size on the campaign's collection " + collection.get()
                : "no collection attached yet: the worker's rule of thumb per recipient (attach the collection for the "
                        + "chain's own estimate)";
        String l1From = groups.isEmpty() ? "nothing left to mint"
                : noOracle ? "0: no GasPriceOracle on this chain, so no L1 data fee (a local chain such as anvil)"
                : "GasPriceOracle " + BaseRpcChain.GAS_PRICE_ORACLE + " getL1Fee of a signed mint of each batch size";
        return new CostEstimate(recipients, batchSize, groups, gas, gasFrom, baseFee, priority, maxFee, l2, l1, l1From,
                l2.plus(l1), maxFee.times(gas).plus(l1), minter, chain.balance(minter));
    }

    /** A batch size priced: whether the chain has no GasPriceOracle, and why eth_estimateGas refused it, if it did. */
    private record Priced(BatchGroup group, boolean noOracle, Optional<String> refused) {
    }

    /** Prices {@code count} batches of {@code size}. */
    private Priced price(int size, int count, Optional<Address> collection, Fees fees, long nonce) {
        Optional<String> refused = Optional.empty();
        // A fresh key and fresh addresses, as a real batch has: minting to an address that holds nothing costs the most.
        MintCall call = new MintCall(collection.orElse(BaseRpcChain.GAS_PRICE_ORACLE), randomKey(), freshAddresses(size));
        long gas;
        if (collection.isEmpty()) {
            gas = fallbackGas.applyAsLong(size);
        } else {
            try {
                gas = chain.mintGas(call);
            } catch (ChainRejectedException e) {
                // The mint would revert now (paused, the minter without its role…): still answer with a price, and say
                // why it is the rule of thumb; the distribution itself will report the revert.
                refused = Optional.of(e.getMessage());
                gas = fallbackGas.applyAsLong(size);
            }
        }
        Optional<Wei> l1 = chain.l1DataFee(call, new MintQuote(gas, fees), nonce);
        return new Priced(new BatchGroup(size, count, gas, l1.orElse(Wei.ZERO)), l1.isEmpty(), refused);
    }

    private static BatchKey randomKey() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return new BatchKey("0x" + HexFormat.of().formatHex(bytes));
    }

    private static List<Address> freshAddresses(int count) {
        List<Address> addresses = new ArrayList<>(count);
        byte[] bytes = new byte[20];
        for (int i = 0; i < count; i++) {
            ThreadLocalRandom.current().nextBytes(bytes);
            bytes[0] |= 1; // never the zero address
            addresses.add(Address.parse("0x" + HexFormat.of().formatHex(bytes)));
        }
        return addresses;
    }

    @Override
    public String toString() {
        return "CostEstimator[batchSize=" + batchSize + ", maxFeeCeiling=" + maxFeeCeiling.value() + "]";
    }
}
