package dev.basenft.adapter.base.rpc;

import dev.basenft.adapter.base.rpc.internal.Redaction;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.ChainId;
import dev.basenft.core.model.Require;
import dev.basenft.core.model.Wei;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything {@link BaseRpcChain} needs, validated when built. {@link #toString()} redacts the private key and the paths and
 * queries of RPC URLs (providers put API keys there).
 *
 * <p>A process that never signs (the HTTP server) gives only the minter's address; then no key is in its memory, and
 * {@link BaseRpcChain#signMint} refuses.
 *
 * @param rpcUrls JSON-RPC endpoints over http or https, in failover order; at least one, no duplicates; never null
 * @param chainId the chain the nodes must serve (8453 Base mainnet, 84532 Base Sepolia); never null
 * @param minter the minter wallet's address: what reads, estimates and readiness use; never null
 * @param minterKey the key that signs mints, whose address must be {@code minter}; empty in a process that never signs;
 *        never null
 * @param factory our {@code BaseNftFactory}; deploy transactions to anything else are refused; never null
 * @param receiptPollInterval pause between receipt polls for callers that wait for a mined transaction (the adapter's
 *        tests): ours, since web3j's default of 15 s is seven Base blocks; positive, never null
 * @param callTimeout the most one HTTP request to one node may take, connection included; positive, never null
 * @param retry attempts and backoff on transport errors; never null
 * @param failoverCooldown how long an endpoint that just failed is tried only after the healthy ones; positive, never null
 * @param gasMarginPercent added to {@code eth_estimateGas}, 0–100; {@value #DEFAULT_GAS_MARGIN_PERCENT} by default
 * @param gasCap the most gas one transaction may ask for; Base enforces 16,777,216 (EIP-7825); positive
 * @param priorityFee the tip per gas, {@code maxFeePerGas = 2 × baseFee + priorityFee}; never null
 * @param logsFromBlock the first block {@code findMint} ever searches, below any collection's own deployment block (0, or
 *        the factory's deploy block); not negative
 * @param logsBlockRange the widest block range one {@code eth_getLogs} asks for; providers refuse wider ones; positive
 * @param sendSync whether {@link BaseRpcChain#broadcast} tries {@code eth_sendRawTransactionSync} (EIP-7966) first, which
 *        answers with the receipt once the transaction is mined; an endpoint without the method is remembered and sent
 *        plain {@code eth_sendRawTransaction} from then on (default false: on anvil 1.7 outstanding sync calls held
 *        back block production, empty blocks until the calls timed out, and with news of new blocks a polled receipt
 *        comes within one poll of its block anyway)
 */
public record BaseRpcSettings(
        List<URI> rpcUrls,
        ChainId chainId,
        Address minter,
        Optional<MinterKey> minterKey,
        Address factory,
        Duration receiptPollInterval,
        Duration callTimeout,
        RetrySettings retry,
        Duration failoverCooldown,
        int gasMarginPercent,
        long gasCap,
        Wei priorityFee,
        long logsFromBlock,
        long logsBlockRange,
        boolean sendSync) {

    /** The default widest {@code eth_getLogs} range: within what common providers answer. */
    public static final long DEFAULT_LOGS_BLOCK_RANGE = 2000;

    /**
     * The margin the worker adds to {@code eth_estimateGas} of a {@code mintBatch} unless told otherwise: 5 %. The estimate
     * is the node's binary search for the least gas limit with which the call succeeds, at the state of one block; the
     * margin covers only what can change before the transaction is mined. For {@code mintBatch} that is little: the batch
     * key and the recipients are this transaction's own; mints mined in between only move the token counter, which costs
     * the same written again (a collection's very first mint pays about 20k more, a fraction of a percent of a batch); and
     * the one part that depends on others is a recipient that is a contract, whose {@code onERC721Received} may cost more
     * by then. 5 % of a 300-recipient batch is about 700k gas, over 14k per recipient. A larger margin costs throughput
     * directly, as block builders pack by the gas a transaction asks for: at 20 % only two 200-recipient batches fit in a
     * 30M block. A transaction that still runs out of gas reverts: its batch fails, nothing is minted, and "Retry Failed"
     * mints it with a fresh estimate.
     */
    public static final int DEFAULT_GAS_MARGIN_PERCENT = 5;

    /** Base's per-transaction gas cap (EIP-7825). */
    public static final long BASE_TX_GAS_CAP = 16_777_216L;

    public BaseRpcSettings {
        Require.notNull("rpcUrls", rpcUrls);
        if (rpcUrls.isEmpty()) {
            throw new IllegalArgumentException("rpcUrls must name at least one JSON-RPC endpoint");
        }
        List<URI> urls = new ArrayList<>();
        for (int i = 0; i < rpcUrls.size(); i++) {
            URI url = rpcUrls.get(i);
            if (url == null) {
                throw new IllegalArgumentException("rpcUrls[" + i + "] must not be null");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("rpcUrls[" + i + "] must be an http or https URL, got "
                        + Redaction.url(url));
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                throw new IllegalArgumentException("rpcUrls[" + i + "] has no host: " + Redaction.url(url));
            }
            if (urls.contains(url)) {
                throw new IllegalArgumentException("rpcUrls[" + i + "] repeats an earlier URL: " + Redaction.url(url));
            }
            urls.add(url);
        }
        rpcUrls = List.copyOf(urls);
        Require.notNull("chainId", chainId);
        Require.notNull("minter", minter);
        Require.notNull("minterKey", minterKey);
        if (minterKey.isPresent() && !minterKey.get().address().equals(minter)) {
            throw new IllegalArgumentException("minterKey signs for " + minterKey.get().address() + ", not for minter "
                    + minter);
        }
        Require.notNull("factory", factory);
        if (factory.isZero()) {
            throw new IllegalArgumentException("factory must not be the zero address");
        }
        Require.positive("receiptPollInterval", receiptPollInterval);
        Require.positive("callTimeout", callTimeout);
        Require.notNull("retry", retry);
        Require.positive("failoverCooldown", failoverCooldown);
        if (gasMarginPercent < 0 || gasMarginPercent > 100) {
            throw new IllegalArgumentException("gasMarginPercent must be between 0 and 100, got " + gasMarginPercent);
        }
        if (gasCap < 21_000) {
            throw new IllegalArgumentException("gasCap must be at least 21000 (the cost of any transaction), got " + gasCap);
        }
        Require.notNull("priorityFee", priorityFee);
        if (logsFromBlock < 0) {
            throw new IllegalArgumentException("logsFromBlock must not be negative, got " + logsFromBlock);
        }
        if (logsBlockRange < 1) {
            throw new IllegalArgumentException("logsBlockRange must be positive, got " + logsBlockRange);
        }
    }

    /** Whether this gateway can sign mints. */
    public boolean canSign() {
        return minterKey.isPresent();
    }

    /** A builder with the documented defaults for everything but the URLs, chain id, minter and factory. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "BaseRpcSettings[rpcUrls=" + rpcUrls.stream().map(Redaction::url).collect(Collectors.joining(", ", "[", "]"))
                + ", chainId=" + chainId + ", minter=" + minter + (minterKey.isPresent() ? " (key redacted)" : " (no key)")
                + ", factory=" + factory
                + ", receiptPollInterval=" + receiptPollInterval + ", callTimeout=" + callTimeout + ", retry=" + retry
                + ", failoverCooldown=" + failoverCooldown + ", gasMarginPercent=" + gasMarginPercent + ", gasCap=" + gasCap
                + ", priorityFee=" + priorityFee + ", logsFromBlock=" + logsFromBlock
                + ", logsBlockRange=" + logsBlockRange + ", sendSync=" + sendSync + "]";
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private List<URI> rpcUrls;
        private ChainId chainId = ChainId.BASE;
        private MinterKey minterKey;
        private Address minter;
        private Address factory;
        private Duration receiptPollInterval = Duration.ofMillis(500);
        private Duration callTimeout = Duration.ofSeconds(10);
        private RetrySettings retry = RetrySettings.DEFAULT;
        private Duration failoverCooldown = Duration.ofSeconds(30);
        private int gasMarginPercent = DEFAULT_GAS_MARGIN_PERCENT;
        private long gasCap = BASE_TX_GAS_CAP;
        private Wei priorityFee = Wei.of(1_000_000); // 0.001 gwei: what Base's blocks usually clear at
        private long logsFromBlock;
        private long logsBlockRange = DEFAULT_LOGS_BLOCK_RANGE;
        private boolean sendSync = false;

        private Builder() {
        }

        /** Endpoints in failover order. */
        public Builder rpcUrls(List<URI> urls) {
            this.rpcUrls = urls;
            return this;
        }

        /** Endpoints in failover order, as text (what {@code BASE_RPC_URL} holds, split on commas). */
        public Builder rpcUrls(String... urls) {
            List<URI> parsed = new ArrayList<>();
            for (int i = 0; i < urls.length; i++) {
                String url = urls[i];
                if (url == null || url.isBlank()) {
                    throw new IllegalArgumentException("rpcUrls[" + i + "] must not be blank");
                }
                try {
                    parsed.add(URI.create(url.strip()));
                } catch (IllegalArgumentException e) {
                    // The URL may hold an API key: say where, not what.
                    throw new IllegalArgumentException("rpcUrls[" + i + "] is not a valid URL", null);
                }
            }
            this.rpcUrls = parsed;
            return this;
        }

        public Builder chainId(ChainId chainId) {
            this.chainId = chainId;
            return this;
        }

        /** The key that signs mints; the minter is its address. */
        public Builder minterKey(MinterKey minterKey) {
            this.minterKey = minterKey;
            return this;
        }

        /**
         * The minter's address alone, for a process that never signs. With {@link #minterKey} as well, it must be the key's
         * address.
         */
        public Builder minter(Address minter) {
            this.minter = minter;
            return this;
        }

        public Builder factory(Address factory) {
            this.factory = factory;
            return this;
        }

        public Builder receiptPollInterval(Duration interval) {
            this.receiptPollInterval = interval;
            return this;
        }

        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        public Builder retry(RetrySettings retry) {
            this.retry = retry;
            return this;
        }

        public Builder failoverCooldown(Duration cooldown) {
            this.failoverCooldown = cooldown;
            return this;
        }

        public Builder gasMarginPercent(int percent) {
            this.gasMarginPercent = percent;
            return this;
        }

        public Builder gasCap(long gasCap) {
            this.gasCap = gasCap;
            return this;
        }

        public Builder priorityFee(Wei priorityFee) {
            this.priorityFee = priorityFee;
            return this;
        }

        public Builder logsFromBlock(long block) {
            this.logsFromBlock = block;
            return this;
        }

        public Builder logsBlockRange(long blocks) {
            this.logsBlockRange = blocks;
            return this;
        }

        public Builder sendSync(boolean on) {
            this.sendSync = on;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or invalid */
        public BaseRpcSettings build() {
            if (minterKey == null && minter == null) {
                throw new IllegalArgumentException("minterKey must not be null (or, for a process that never signs, give "
                        + "minter: its address)");
            }
            return new BaseRpcSettings(rpcUrls, chainId, minter != null ? minter : minterKey.address(),
                    Optional.ofNullable(minterKey), factory, receiptPollInterval, callTimeout, retry,
                    failoverCooldown, gasMarginPercent, gasCap, priorityFee, logsFromBlock,
                    logsBlockRange, sendSync);
        }
    }
}
