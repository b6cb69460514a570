package dev.basenft.core.service;

import dev.basenft.core.model.Require;
import dev.basenft.core.model.Wei;
import dev.basenft.core.planning.BatchPlanner;
import java.time.Duration;

/**
 * How the worker drives batches. Immutable and thread-safe; build with {@link #builder()}, which starts from the defaults.
 *
 * @param batchSize recipients per batch, 1 to {@link BatchPlanner#MAX_BATCH_SIZE} (349; default 200)
 * @param maxFeePerGas the fee ceiling: above it batches wait instead of overpaying (default 50 gwei)
 * @param maxInFlight how many batches may have unmined transactions at once (pipelined nonces; default 8)
 * @param lease how long a worker's claim on a batch lasts before another may take it over (default 2 min)
 * @param receiptTimeout how long one attempt waits for a receipt before parking the batch (default 60 s)
 * @param receiptPollInterval how often it asks for the receipt (default 1 s; Base makes a block every 2 s)
 * @param stuckAfter how long a pending transaction may wait before it is replaced with higher fees (default 90 s)
 * @param replacementBumpPercent fee raise for a same-nonce replacement, at least 10 (default 12)
 * @param breakerCooldown how long a batch is delayed while the breaker is open: its cooldown (default 30 s)
 * @param waitDelay delay of a batch waiting for fees, balance, a pending receipt or a free slot (default 15 s)
 * @param confirmations how many blocks must be built on top of a receipt's block before the worker acts on it (completes,
 *     fails or reconciles the batch), 0 to {@value #MAX_CONFIRMATIONS}; 0 acts on the first receipt (default 0: the app
 *     chooses a default per chain)
 * @param acceptPreconfirmations whether a receipt for a block the node has not sealed yet (a Flashblocks preconfirmation:
 *     its block is above the node's {@code latest}) counts as mined at depth 0; when false (the default) the worker waits
 *     until {@code latest} reaches the receipt's block before it acts on it, even with 0 confirmations
 */
public record DistributionSettings(
        int batchSize,
        Wei maxFeePerGas,
        int maxInFlight,
        Duration lease,
        Duration receiptTimeout,
        Duration receiptPollInterval,
        Duration stuckAfter,
        int replacementBumpPercent,
        Duration breakerCooldown,
        Duration waitDelay,
        int confirmations,
        boolean acceptPreconfirmations) {

    /**
     * The most confirmations accepted: 1000 blocks are over half an hour on Base and over three hours on Ethereum, well past
     * any finality these chains offer; more is a typo.
     */
    public static final int MAX_CONFIRMATIONS = 1000;

    public static final DistributionSettings DEFAULTS = builder().build();

    public DistributionSettings {
        Require.between("batchSize", batchSize, 1, BatchPlanner.MAX_BATCH_SIZE);
        Require.notNull("maxFeePerGas", maxFeePerGas);
        Require.between("maxInFlight", maxInFlight, 1, 1000);
        Require.positive("lease", lease);
        Require.positive("receiptTimeout", receiptTimeout);
        Require.positive("receiptPollInterval", receiptPollInterval);
        Require.positive("stuckAfter", stuckAfter);
        Require.between("replacementBumpPercent", replacementBumpPercent, 10, 500);
        Require.positive("breakerCooldown", breakerCooldown);
        Require.positive("waitDelay", waitDelay);
        Require.between("confirmations", confirmations, 0, MAX_CONFIRMATIONS);
        if (receiptTimeout.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("receiptTimeout (" + receiptTimeout + ") must be shorter than lease (" + lease
                    + "), or another worker could take the batch over while this one still waits");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchSize = batchSize;
        b.maxFeePerGas = maxFeePerGas;
        b.maxInFlight = maxInFlight;
        b.lease = lease;
        b.receiptTimeout = receiptTimeout;
        b.receiptPollInterval = receiptPollInterval;
        b.stuckAfter = stuckAfter;
        b.replacementBumpPercent = replacementBumpPercent;
        b.breakerCooldown = breakerCooldown;
        b.waitDelay = waitDelay;
        b.confirmations = confirmations;
        b.acceptPreconfirmations = acceptPreconfirmations;
        return b;
    }

    /** Builds {@link DistributionSettings}. Not thread-safe. */
    public static final class Builder {
        private int batchSize = 200;
        private Wei maxFeePerGas = Wei.gwei(50);
        private int maxInFlight = 8;
        private Duration lease = Duration.ofMinutes(2);
        private Duration receiptTimeout = Duration.ofSeconds(60);
        private Duration receiptPollInterval = Duration.ofSeconds(1);
        private Duration stuckAfter = Duration.ofSeconds(90);
        private int replacementBumpPercent = 12;
        private Duration breakerCooldown = Duration.ofSeconds(30);
        private Duration waitDelay = Duration.ofSeconds(15);
        private int confirmations = 0;
        private boolean acceptPreconfirmations = false;

        private Builder() {
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxFeePerGas(Wei v) {
            maxFeePerGas = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder lease(Duration v) {
            lease = v;
            return this;
        }

        public Builder receiptTimeout(Duration v) {
            receiptTimeout = v;
            return this;
        }

        public Builder receiptPollInterval(Duration v) {
            receiptPollInterval = v;
            return this;
        }

        public Builder stuckAfter(Duration v) {
            stuckAfter = v;
            return this;
        }

        public Builder replacementBumpPercent(int v) {
            replacementBumpPercent = v;
            return this;
        }

        public Builder breakerCooldown(Duration v) {
            breakerCooldown = v;
            return this;
        }

        public Builder waitDelay(Duration v) {
            waitDelay = v;
            return this;
        }

        public Builder confirmations(int v) {
            confirmations = v;
            return this;
        }

        public Builder acceptPreconfirmations(boolean v) {
            acceptPreconfirmations = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public DistributionSettings build() {
            return new DistributionSettings(batchSize, maxFeePerGas, maxInFlight, lease, receiptTimeout, receiptPollInterval,
                    stuckAfter, replacementBumpPercent, breakerCooldown, waitDelay, confirmations, acceptPreconfirmations);
        }
    }
}
