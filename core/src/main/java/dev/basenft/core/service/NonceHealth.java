package dev.basenft.core.service;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.TransactionLedger;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The periodic nonce-health check (docs/RUNBOOK.md#8-nonce-gaps-and-fillers): compares what the node holds for the minter wallet
 * (latest and pending nonce, the status of each stored transaction) with what the ledger handed out, and repairs the
 * difference, so one lost transaction never leaves the batches behind it waiting on "nonce too high".
 *
 * <ul>
 *   <li>The node's pending nonce above the ledger's next: another sender used the wallet; the counter is resynced up.
 *   <li>Nonces handed out above everything the ledger stored (the counter drifted above the chain): the counter is
 *       resynced down to the first nonce nobody holds.
 *   <li>A nonce from the node's pending nonce up that the node does not hold (a gap): when its batch is still open, or
 *       COMPLETED (its mint reorganised out deeper than the confirmation depth: filling would make the loss final), the
 *       batch's latest stored transaction is rebroadcast, byte for byte; when the batch was given up (FAILED), when
 *       nothing is stored for the nonce, or when the node refuses the rebroadcast, the nonce is filled with a zero-value
 *       self-transfer, recorded in the ledger before it is broadcast.
 * </ul>
 *
 * <p>Why filling is safe: the check never signs a mint. A mint that might still land competes with the filler for one
 * nonce, so at most one of them is mined; a batch whose nonce went to the filler sees its nonce used by another transaction
 * and its batch key unused, and only then signs again on a new nonce (see {@link BatchProcessor}).
 *
 * <p>Thread-safe and stateless; several workers may run it at once (the worst case is a second filler on the same nonce,
 * which the node takes as a replacement or refuses). Node calls may throw
 * {@link dev.basenft.core.model.ChainUnavailableException}; the caller retries on its next round.
 */
public final class NonceHealth {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");

    /** Gaps handled per check, so a counter far off does not turn one check into thousands of node calls. */
    static final int MAX_GAPS_PER_CHECK = 64;

    private final Chain chain;
    private final TransactionLedger ledger;
    private final Batches batches;
    private final DistributionSettings settings;
    private final InstantSource time;

    /** All arguments are required. */
    @Inject
    public NonceHealth(Chain chain, TransactionLedger ledger, Batches batches, DistributionSettings settings,
            InstantSource time) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * What one check found and did.
     *
     * @param latest the node's latest nonce for the minter
     * @param pending the node's pending nonce
     * @param next the ledger's next nonce when the check began
     * @param resynced whether the counter was resynced
     * @param rebroadcast stored mints sent again, byte for byte
     * @param filled fillers signed (or rebroadcast) and accepted by the node
     */
    public record Report(long latest, long pending, long next, boolean resynced, int rebroadcast, int filled) {

        /** Whether the node and the ledger agreed: nothing was done. */
        public boolean healthy() {
            return !resynced && rebroadcast == 0 && filled == 0;
        }
    }

    /** Runs one check; see the class comment. */
    public Report run() {
        Address wallet = chain.minter();
        long latest = chain.latestNonce(wallet);
        long pending = chain.pendingNonce(wallet);
        long next = ledger.nextNonce(wallet);
        if (pending > next) {
            LOG.log(Level.WARNING, "[nonce] The node''s pending nonce {0,number,#} is above the ledger''s next nonce "
                    + "{1,number,#}: another sender used minter wallet {2}; resyncing the nonce counter", pending, next, wallet);
            ledger.resyncNonce(wallet, pending);
            return new Report(latest, pending, next, true, 0, 0);
        }
        if (pending == next) {
            return new Report(latest, pending, next, false, 0, 0);
        }
        List<StoredTransaction> stored = ledger.transactionsFrom(wallet, pending);
        List<FillerTransaction> fillers = ledger.fillersFrom(wallet, pending);
        long top = Math.max(stored.stream().mapToLong(StoredTransaction::nonce).max().orElse(pending - 1),
                fillers.stream().mapToLong(FillerTransaction::nonce).max().orElse(pending - 1));
        boolean resynced = false;
        if (top + 1 < next) {
            LOG.log(Level.WARNING, "[nonce] Nonce counter drifted: the ledger would hand out nonce {0,number,#}, but the "
                    + "node''s pending nonce is {1,number,#} and nothing is stored above nonce {2,number,#}; resyncing the "
                    + "counter", next, pending, top);
            ledger.resyncNonce(wallet, pending);
            resynced = true;
        }
        long last = Math.min(top, pending + MAX_GAPS_PER_CHECK - 1);
        if (last < top) {
            LOG.log(Level.WARNING, "[nonce] Nonces {0,number,#} to {1,number,#} are not held by the node; checking the "
                    + "first {2,number,#} now, the rest on the next checks", pending, top, MAX_GAPS_PER_CHECK);
        }
        int rebroadcast = 0;
        int filled = 0;
        for (long nonce = pending; nonce <= last; nonce++) {
            long n = nonce;
            Action action = heal(n, stored.stream().filter(tx -> tx.nonce() == n).toList(),
                    fillers.stream().filter(f -> f.nonce() == n).toList());
            rebroadcast += action == Action.REBROADCAST ? 1 : 0;
            filled += action == Action.FILLED ? 1 : 0;
        }
        return new Report(latest, pending, next, resynced, rebroadcast, filled);
    }

    private enum Action { NONE, REBROADCAST, FILLED }

    /** One nonce at or above the node's pending nonce, with what the ledger stored for it (oldest first). */
    private Action heal(long nonce, List<StoredTransaction> stored, List<FillerTransaction> fillers) {
        // Held means the node has one of ours on this nonce (queued behind the gap, or mined since the nonces were read):
        // then it is not a gap, and signing anything for it would only compete with that transaction.
        for (StoredTransaction tx : stored) {
            if (known(tx.hash())) {
                return Action.NONE;
            }
        }
        for (FillerTransaction filler : fillers) {
            if (known(filler.hash())) {
                return Action.NONE;
            }
        }
        if (!fillers.isEmpty()) {
            return rebroadcastFiller(nonce, fillers.getLast());
        }
        if (stored.isEmpty()) {
            return fill(nonce, "nonce " + nonce + " was handed out but no transaction is stored for it", Optional.empty());
        }
        StoredTransaction latest = stored.getLast();
        Optional<Batch> batch = batches.find(latest.batchId());
        if (batch.isPresent() && batch.get().status() == BatchStatus.COMPLETED) {
            // Recorded as minted, yet the node holds none of its transactions and the nonce is free: the mint was
            // reorganised out deeper than CONFIRMATIONS. A filler would make the loss final; the same signed mint is sent
            // again instead (its batch key still stops any double mint), and the operator told.
            LOG.log(Level.WARNING, "[nonce] Nonce {0,number,#} is a gap: batch {1} is COMPLETED but its tx {2} is not on "
                    + "chain any more (a reorganisation deeper than CONFIRMATIONS); rebroadcasting it, not filling the "
                    + "nonce; check its recipients'' token ids once it is mined again", nonce, latest.batchId(),
                    latest.hash());
            return rebroadcast(nonce, latest);
        }
        if (batch.isEmpty() || !batch.get().status().isOpen()) {
            String state = batch.map(b -> b.status().name()).orElse("gone");
            LOG.log(Level.WARNING, "[nonce] Nonce {0,number,#} is a gap: batch {1} is {2} and its tx {3} is unknown to the "
                    + "node; filling the nonce", nonce, latest.batchId(), state, latest.hash());
            return fill(nonce, "batch " + latest.batchId() + " is " + state + " and its tx " + latest.hash()
                    + " is unknown to the node", Optional.empty());
        }
        LOG.log(Level.WARNING, "[nonce] Nonce {0,number,#} is a gap: batch {1}''s tx {2} is unknown to the node; "
                + "rebroadcasting it", nonce, latest.batchId(), latest.hash());
        return rebroadcast(nonce, latest);
    }

    /** Sends a batch's stored transaction again; a refusal that will not pass by itself fills the nonce instead. */
    private Action rebroadcast(long nonce, StoredTransaction latest) {
        BroadcastResult result = chain.broadcast(latest.transaction());
        if (result instanceof BroadcastResult.Rejected rejected) {
            if (waitOn(nonce, latest.hash(), rejected)) {
                return Action.NONE;
            }
            LOG.log(Level.WARNING, "[nonce] The node refused batch {0}''s tx {1} on nonce {2,number,#} ({3}); filling the "
                    + "nonce instead", latest.batchId(), latest.hash(), nonce, rejected.message());
            return fill(nonce, "the node refused batch " + latest.batchId() + "'s tx " + latest.hash() + ": "
                    + rejected.message(), Optional.empty());
        }
        LOG.log(Level.INFO, "[nonce] Nonce {0,number,#}: the node took batch {1}''s tx {2} again", nonce, latest.batchId(),
                latest.hash());
        return Action.REBROADCAST;
    }

    private boolean known(TxHash hash) {
        return !(chain.status(hash) instanceof TransactionStatus.Unknown);
    }

    /** A filler recorded earlier that the node does not know (a crash before its broadcast, or dropped): send it again. */
    private Action rebroadcastFiller(long nonce, FillerTransaction filler) {
        LOG.log(Level.WARNING, "[nonce] Nonce {0,number,#} is a gap: filler tx {1} recorded at {2} is unknown to the node; "
                + "rebroadcasting it", nonce, filler.hash(), filler.recordedAt());
        BroadcastResult result = chain.broadcast(filler.transaction());
        if (result instanceof BroadcastResult.Rejected rejected) {
            if (rejected.failure() == ChainFailure.UNDERPRICED) {
                // Its fees fell behind the market: the same bytes would be refused forever, so it is priced afresh.
                return fill(nonce, filler.reason() + "; filler " + filler.hash() + " refused as underpriced",
                        Optional.of(filler.transaction().fees()));
            }
            waitOn(nonce, filler.hash(), rejected);
            return Action.NONE;
        }
        return Action.FILLED;
    }

    /**
     * Signs, records and broadcasts a filler at {@code nonce}: fresh market fees, or {@code previous} raised by the
     * replacement bump when a filler was refused as underpriced. Never above the fee ceiling.
     */
    private Action fill(long nonce, String reason, Optional<Fees> previous) {
        Fees current = chain.currentFees();
        Fees fees = previous.map(p -> p.bumped(settings.replacementBumpPercent(), current)).orElse(current);
        if (fees.maxFeePerGas().isGreaterThan(settings.maxFeePerGas())) {
            LOG.log(Level.WARNING, "[nonce] Not filling nonce {0,number,#}: its maxFeePerGas of {1} would pass the "
                    + "ceiling of {2}; trying again on the next check", nonce, fees.maxFeePerGas(),
                    settings.maxFeePerGas());
            return Action.NONE;
        }
        SignedTransaction signed = chain.signFiller(nonce, fees);
        FillerTransaction filler = ledger.recordFiller(new FillerTransaction(signed, reason, time.instant()));
        LOG.log(Level.WARNING, "[nonce] Filling nonce {0,number,#} with zero-value self-transfer {1} ({2})", nonce,
                filler.hash(), filler.reason());
        BroadcastResult result = chain.broadcast(signed);
        if (result instanceof BroadcastResult.Rejected rejected) {
            LOG.log(Level.WARNING, "[nonce] The node refused filler {0} on nonce {1,number,#} ({2}); trying again on the "
                    + "next check", filler.hash(), nonce, rejected.message());
            return Action.NONE;
        }
        return Action.FILLED;
    }

    /**
     * Refusals after which the nonce must be left as it is for now: true when the nonce went to another transaction
     * meanwhile, an earlier nonce is still missing, or the wallet cannot pay (a filler would not help either).
     */
    private static boolean waitOn(long nonce, TxHash hash, BroadcastResult.Rejected rejected) {
        String why = switch (rejected.failure()) {
            case NONCE_TOO_LOW -> "nonce used meanwhile by another transaction";
            case NONCE_TOO_HIGH -> "an earlier nonce is still missing";
            case INSUFFICIENT_FUNDS -> "minter balance too low";
            default -> null;
        };
        if (why == null) {
            return false;
        }
        LOG.log(Level.WARNING, "[nonce] Nonce {0,number,#}: tx {1} refused ({2}): {3}; leaving it to the next check", nonce,
                hash, why, rejected.message());
        return true;
    }
}
