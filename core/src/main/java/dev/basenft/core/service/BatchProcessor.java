package dev.basenft.core.service;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitState;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.ChainRejectedException;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.CollectionDeployment;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.CampaignHaltedException;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.Chain;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.port.out.LostClaimException;
import dev.basenft.core.port.out.NewBlocks;
import dev.basenft.core.port.out.TransactionLedger;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mints one batch exactly once: the worker's side of the layers that keep a mint from happening twice (worker idempotency,
 * the lease, the write-ahead ledger) and of the circuit breaker around the chain.
 *
 * <ol>
 *   <li>A COMPLETED batch is left alone (worker idempotency).
 *   <li>While the circuit breaker is open the batch is delayed without using an attempt.
 *   <li>The worker takes a lease on the batch, so only one worker drives it at a time.
 *   <li>If the write-ahead ledger already holds transactions for the batch, they are checked first: a mined one settles the
 *       batch; one the node lost is rebroadcast byte for byte, and replaced on the same nonce with fresh fees once it
 *       stays unknown past {@code stuckAfter}; a stuck one is replaced on the same nonce with higher fees.
 *       A new nonce is used only when the old one was consumed by something else, so none of ours can land any more.
 *   <li>Otherwise the mint is priced, the fee ceiling and balance checked, and the signed transaction stored in the ledger
 *       <em>before</em> it is broadcast.
 *   <li>A revert with {@code BatchAlreadyUsed} means the batch is on chain already: the tokens are read back and the batch
 *       completed. Any other revert fails the batch; once "Retry Failed" has started a new run, that reverted transaction is
 *       history and the new run signs a fresh one.
 *   <li>Every receipt is acted on (completed, failed, reconciled) only once {@link DistributionSettings#confirmations()}
 *       blocks are built on top of it, read again at that moment; until then the batch waits SUBMITTED. A receipt that is
 *       gone or moved when read again was reorganised: the batch goes back to the ledger check above.
 * </ol>
 *
 * A batch handed on for later ({@code Delayed}, {@code RetryLater}) has its lease given back, and a half-open breaker's
 * trial goes back unless the chain gave a verdict, both in one place ({@link Holdings}).
 *
 * <p>Thread-safe: several threads and processes may process different batches at once, and even the same batch. Of the
 * threads of one process, half a block's worth at a time prepare their batches (everything up to the broadcast), the
 * others wait for a turn; a batch waiting for its receipt holds none ({@link PreparationTurns}).
 */
public final class BatchProcessor implements ProcessBatchUseCase {

    private static final System.Logger LOG = System.getLogger("dev.basenft.worker");
    /** Reorganisations one call follows back to the ledger before it hands the batch on for later. */
    private static final int MAX_REORGS_PER_CALL = 3;
    /** How a batch's error starts after a reorganisation took its receipt away, until it settles. */
    private static final String REORGANISED = "chain reorganised: ";
    /** Receipt polls a transaction may stay unknown to the node before it is sent again (see rebroadcastIfLost). */
    private static final int LOST_POLLS = 4;
    /** How often a batch waiting for an in-flight slot looks for one: a tenth of a Base block, so a freed slot is soon used. */
    private static final Duration SLOT_POLL = Duration.ofMillis(200);
    /**
     * How long a quote is signed with while its batch waits for a slot. Its {@code maxFeePerGas} is twice the base fee at
     * the time, which covers the base fee rising the most Ethereum's EIP-1559 parameters allow (12.5 % a block) for about
     * six blocks, 12 s at Base's 2 s blocks (Base's own parameters let it rise more slowly). Ten seconds stays inside that;
     * after it the batch is priced again.
     */
    /**
     * How long a first broadcast waits at most for this process's lower nonces to be sent (see {@link BroadcastOrder}):
     * much longer than the few milliseconds between a write-ahead and its broadcast, much shorter than a block.
     */
    private static final Duration BROADCAST_ORDER_WAIT = Duration.ofMillis(500);

    private final Campaigns campaigns;
    private final Batches batches;
    private final TransactionLedger ledger;
    private final Chain chain;
    private final CircuitBreaker breaker;
    private final CampaignProgress progress;
    private final LedgerCheck ledgerCheck;
    private final ConfirmationCheck confirmationCheck;
    private final SendGate gate;
    private final ChainTrouble trouble;
    private final InstantSource time;
    private final DistributionSettings settings;
    private final String worker;
    private final WorkerEvents events;
    /** Which batch of this process waits for an in-flight slot when the cap is full; see {@link #submitFresh}. */
    private final ReentrantLock writeAheadTurn = new ReentrantLock(true);
    /**
     * How many of this process's threads may wait for an in-flight slot at once: one fewer than the cap, at least one. The
     * batches holding the slots need threads too, to see their receipts and free them. When waiting batches come before
     * them in the queue (lower indexes, held back by an outage while later ones were signed), waiters taking every thread
     * stopped the distribution for good (CI's torture run "unknown fate": two threads cycling four waiting batches, two
     * signed ones never taken). With at least as many threads as the cap (sizing's default, and the documented minimum),
     * one is always left. Never binding in steady state: the threads beyond those driving the cap's batches are fewer.
     */
    private final Semaphore slotWaiters;
    /** {@link #slotWaiters}' permits when no batch waits. */
    private final int slotWaiterPermits;
    private final BroadcastOrder broadcastOrder = new BroadcastOrder(BROADCAST_ORDER_WAIT);
    private final PreparationTurns preparation;
    private final NewBlocks blocks;
    private final FeesOfTheBlock feesOfTheBlock;

    /**
     * @param worker this process's id, used to tell leases apart; unique per process
     */
    @Inject
    public BatchProcessor(Campaigns campaigns, Batches batches, TransactionLedger ledger, Chain chain, CircuitBreaker breaker,
            InstantSource time, DistributionSettings settings, WorkerIdentity worker) {
        this(campaigns, batches, ledger, chain, breaker, time, settings, worker, Sleeper.THREAD_SLEEP);
    }

    /** As the injectable constructor, with the pause between receipt polls supplied (tests pass a simulated one). */
    public BatchProcessor(Campaigns campaigns, Batches batches, TransactionLedger ledger, Chain chain, CircuitBreaker breaker,
            InstantSource time, DistributionSettings settings, WorkerIdentity worker, Sleeper sleeper) {
        this(campaigns, batches, ledger, chain, breaker, time, settings, worker, sleeper, WorkerEvents.NONE);
    }

    /**
     * As the other constructors, with an observer of the transactions sent and the batches mined (the application's
     * metrics).
     *
     * @param events never null; {@link WorkerEvents#NONE} to observe nothing
     */
    public BatchProcessor(Campaigns campaigns, Batches batches, TransactionLedger ledger, Chain chain, CircuitBreaker breaker,
            InstantSource time, DistributionSettings settings, WorkerIdentity worker, Sleeper sleeper, WorkerEvents events) {
        this(campaigns, batches, ledger, chain, breaker, time, settings, worker, sleeping(sleeper), events);
    }

    /**
     * As the other constructors, with news of new blocks: a receipt waiter looks again as soon as a block arrives, waiting
     * at most {@link DistributionSettings#receiptPollInterval()} between looks.
     *
     * @param blocks never null
     * @param events never null; {@link WorkerEvents#NONE} to observe nothing
     */
    public BatchProcessor(Campaigns campaigns, Batches batches, TransactionLedger ledger, Chain chain, CircuitBreaker breaker,
            InstantSource time, DistributionSettings settings, WorkerIdentity worker, NewBlocks blocks, WorkerEvents events) {
        this.blocks = Objects.requireNonNull(blocks, "blocks");
        this.events = Objects.requireNonNull(events, "events");
        this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.time = Objects.requireNonNull(time, "time");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.slotWaiterPermits = Math.max(1, settings.maxInFlight() - 1);
        this.slotWaiters = new Semaphore(slotWaiterPermits);
        this.preparation = PreparationTurns.forSettings(settings);
        this.worker = Objects.requireNonNull(worker, "worker").value();
        this.progress = new CampaignProgress(campaigns, batches);
        this.ledgerCheck = new LedgerCheck(chain);
        this.confirmationCheck = new ConfirmationCheck(chain, settings.confirmations(), settings.acceptPreconfirmations());
        this.gate = new SendGate(chain, settings);
        this.trouble = new ChainTrouble(breaker, settings);
        // A quarter of a block is the default poll interval: four of them are about a block.
        this.feesOfTheBlock = new FeesOfTheBlock(chain, blocks, time, settings.receiptPollInterval().multipliedBy(4));
    }

    @Override
    public BatchOutcome process(ProcessBatchCommand command) {
        Objects.requireNonNull(command, "command");
        // A turn to prepare the batch for sending, given back as soon as it waits for its receipt (Holdings), or here.
        try (PreparationTurns.Turn turn = preparation.take()) {
            return process(command, turn);
        }
    }

    private BatchOutcome process(ProcessBatchCommand command, PreparationTurns.Turn turn) {
        Optional<Batch> found = batches.find(command.batchId());
        if (found.isEmpty()) {
            LOG.log(Level.WARNING, "Batch {0} not found; dropping its job", command.batchId());
            return new BatchOutcome.Skipped(command.batchId(), "batch not found");
        }
        Batch batch = found.get();
        if (batch.status() == BatchStatus.COMPLETED) {
            LOG.log(Level.INFO, "Batch already completed (idempotency): batch {0}", batch.id());
            // A worker that died between settling the batch and updating the campaign left the campaign behind; this
            // redelivered job is the only one that will ever come for it.
            progress.refresh(batch.campaignId());
            return new BatchOutcome.AlreadyCompleted(batch.id());
        }
        if (batch.status() == BatchStatus.FAILED) {
            progress.refresh(batch.campaignId());
            return new BatchOutcome.Skipped(batch.id(), "batch is FAILED; \"Retry Failed\" re-enqueues it");
        }
        if (batch.status() == BatchStatus.CANCELLED) {
            return new BatchOutcome.Skipped(batch.id(), "batch was cancelled with its campaign");
        }
        CircuitBreaker.Permission permission = breaker.tryAcquire();
        if (!permission.granted()) {
            LOG.log(Level.WARNING, "[worker] Circuit breaker OPEN, delaying batch {0} by {1,number,#}s", batch.id(),
                    settings.breakerCooldown().toSeconds());
            return new BatchOutcome.Delayed(batch.id(), settings.breakerCooldown(), "circuit breaker open");
        }
        if (breaker.state() == CircuitState.HALF_OPEN) {
            LOG.log(Level.INFO, "[worker] Circuit breaker HALF_OPEN, trying batch {0} as the single trial", batch.id());
        }
        // The one exit for the half-open trial and the lease: whatever path the batch takes, including an exception (a
        // trial kept "in flight" forever would refuse every later batch).
        try (Holdings held = new Holdings(breaker, batches, turn)) {
            return held.exit(claimAndDrive(command, batch, held));
        }
    }

    private BatchOutcome claimAndDrive(ProcessBatchCommand command, Batch batch, Holdings held) {
        Instant now = time.instant();
        Claim claim = new Claim(batch.id(), worker, now, now.plus(settings.lease()));
        Optional<Batch> claimed = batches.claim(claim);
        if (claimed.isEmpty()) {
            return afterLostRace(batch);
        }
        held.claimed(claim);
        Campaign campaign = campaigns.find(batch.campaignId())
                .orElseThrow(() -> new IllegalStateException("batch " + batch.id() + " has no campaign"));
        if (campaign.contract().isEmpty()) {
            return fail(claim, claimed.get(), "campaign has no collection contract attached");
        }
        if (campaign.status().isHalted() && claimed.get().status() == BatchStatus.PROCESSING) {
            // Saves the chain calls of pricing a batch that will not be signed. Not the guard itself: a pause that comes
            // after this read is caught by the write-ahead, under the lock that signs.
            return halted(claim, claimed.get(), campaign.status(), held);
        }
        try {
            BatchOutcome outcome = drive(claimed.get(), claim, campaign.contract().get(), held);
            recordSuccess(held);
            return outcome;
        } catch (ChainUnavailableException e) {
            return trouble.unavailable(command, claimed.get(), e, held);
        } catch (ChainRejectedException e) {
            recordSuccess(held);
            if (held.mayLand()) {
                return trouble.refusedInFlight(claimed.get(), e, held);
            }
            return fail(claim, claimed.get(), e.getMessage());
        } catch (CampaignHaltedException e) {
            return halted(claim, claimed.get(), e.status(), held);
        } catch (LostClaimException e) {
            held.leaseLost();
            LOG.log(Level.WARNING, "{0}; leaving the batch to its new owner", e.getMessage());
            return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "lease taken over by another worker");
        }
    }

    private static void recordSuccess(Holdings held) {
        if (held.recordSuccess()) {
            LOG.log(Level.INFO, "[worker] Circuit breaker CLOSED: the RPC answers again");
        }
    }

    /**
     * The batch's campaign is paused or cancelled and nothing is signed for the batch (PROCESSING under this claim). Paused:
     * it goes back to PENDING (the lease is released on the way out) and its job waits without using an attempt.
     * Cancelled: it is withdrawn, its recipients PENDING again, and the job is done.
     */
    private BatchOutcome halted(Claim claim, Batch batch, CampaignStatus status, Holdings held) {
        if (status == CampaignStatus.PAUSED) {
            LOG.log(Level.INFO, "Batch {0}: campaign {1} is paused; not signing, checking again in {2,number,#}s",
                    batch.id(), batch.campaignId(), settings.waitDelay().toSeconds());
            return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "campaign paused");
        }
        if (batches.withdraw(claim)) {
            LOG.log(Level.INFO, "Batch {0}: campaign {1} is cancelled; batch cancelled unsigned, its recipients PENDING"
                    + " again", batch.id(), batch.campaignId());
        }
        held.leaseLost();
        return new BatchOutcome.Skipped(batch.id(), "campaign cancelled");
    }

    private BatchOutcome afterLostRace(Batch batch) {
        Batch now = batches.find(batch.id()).orElse(batch);
        if (now.status() == BatchStatus.CANCELLED) {
            return new BatchOutcome.Skipped(batch.id(), "batch was cancelled with its campaign");
        }
        if (now.status() == BatchStatus.PENDING) {
            // A PENDING batch is refused only by a halted campaign (it has no lease).
            CampaignStatus status = campaigns.find(now.campaignId()).map(Campaign::status).orElse(CampaignStatus.PROCESSING);
            if (status == CampaignStatus.PAUSED) {
                return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "campaign paused");
            }
            if (status == CampaignStatus.CANCELLED) {
                // Given back after the cancel dissolved the others (fees, breaker): dissolve it too.
                batches.cancelPending(now.campaignId());
                if (batches.find(batch.id()).map(Batch::status).orElse(BatchStatus.CANCELLED) == BatchStatus.CANCELLED) {
                    return new BatchOutcome.Skipped(batch.id(), "batch was cancelled with its campaign");
                }
            }
        }
        if (now.status() == BatchStatus.COMPLETED) {
            LOG.log(Level.INFO, "Batch already completed (idempotency): batch {0}", batch.id());
            progress.refresh(batch.campaignId());
            return new BatchOutcome.AlreadyCompleted(batch.id());
        }
        if (now.status() == BatchStatus.FAILED) {
            progress.refresh(batch.campaignId());
            return new BatchOutcome.Skipped(batch.id(), "batch is FAILED");
        }
        return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "batch is leased by another worker");
    }

    private BatchOutcome drive(Batch batch, Claim claim, Address collection, Holdings held) {
        List<StoredTransaction> stored = ledger.forBatch(batch.id());
        if (stored.isEmpty()) {
            return submitFresh(batch, claim, collection, held);
        }
        held.mayLand(true);
        return recover(batch, claim, collection, stored, held);
    }

    private BatchOutcome submitFresh(Batch batch, Claim claim, Address collection, Holdings held) {
        MintCall call = MintCall.of(collection, batch);
        MintQuote quote;
        try {
            quote = chain.quoteMint(call);
        } catch (ChainRejectedException e) {
            if (e.failure() == ChainFailure.BATCH_KEY_USED) {
                return reconcile(batch, claim, collection, held);
            }
            throw e;
        }
        Optional<BatchOutcome> wait = gate.mustWait(batch, quote);
        if (wait.isPresent()) {
            return wait.get();
        }
        Address minter = chain.minter();
        Instant slotWaitEnds = slotWaitEnds(claim);
        // A batch that finds batches of this process waiting for a slot gets in line behind them instead of trying first.
        // Trying first, a newcomer took each slot that freed while the one waiting paused between its looks, so the
        // waiting batches waited out waitDelay and went back to the queue (seen once a quote became one eth_call, quick
        // enough to always win: at 30M-gas blocks two batches were minted four blocks after the rest; with two workers, a
        // stall of blocks near the end of every run).
        boolean othersWaiting = slotWaiters.availablePermits() < slotWaiterPermits;
        Optional<StoredTransaction> written = othersWaiting ? Optional.empty() : writeAhead(claim, minter, call, quote);
        if (written.isEmpty() && !slotWaiters.tryAcquire()) {
            // Enough threads wait for a slot already; this one goes back to the queue and serves other batches meanwhile.
            return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(),
                    "in-flight cap of " + settings.maxInFlight() + " transactions reached");
        }
        if (written.isEmpty()) {
            // The cap is full. One batch of this process at a time waits for a slot, polling the count; the others wait
            // their turn in memory. Each waiting batch polling, or queueing on the wallet's row lock in the database,
            // would hold a pooled connection that the receipt checks and completions freeing the slots need (seen at
            // 400M-gas blocks: 24 batches waiting behind a pool of 10, the worker signing one batch a second). Fair, so
            // batches take slots in the order they came for them.
            if (!awaitTurn(slotWaitEnds)) {
                slotWaiters.release();
                return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(),
                        "in-flight cap of " + settings.maxInFlight() + " transactions reached");
            }
            try {
                boolean justTookTurn = true;
                while (written.isEmpty()) {
                    if (!awaitSlot(minter, slotWaitEnds, justTookTurn)) {
                        return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(),
                                "in-flight cap of " + settings.maxInFlight() + " transactions reached");
                    }
                    // The fees move with every block (up 12.5 % after a full one), and a wait for a slot lasts blocks:
                    // fees read before it may be below the base fee by the time the transaction reaches the node, which
                    // then holds it back with every nonce above it (seen on 30M-gas blocks: "max fee per gas less than
                    // block base fee" and an empty block). So they are read again after every wait, once per block for
                    // the whole process; the gas stands. Only the ceiling is checked again (see SendGate.aboveCeiling).
                    quote = new MintQuote(quote.gasLimit(), feesOfTheBlock.now());
                    wait = gate.aboveCeiling(batch, quote);
                    if (wait.isPresent()) {
                        return wait.get();
                    }
                    written = writeAhead(claim, minter, call, quote);
                    justTookTurn = false;
                }
            } finally {
                writeAheadTurn.unlock();
                slotWaiters.release();
            }
        }
        StoredTransaction tx = written.get();
        held.mayLand(true);
        LOG.log(Level.INFO, "Batch {0}: signed and stored tx {1} (nonce {2,number,#}, {3,number,#} recipients), broadcasting", batch.id(),
                tx.hash(), tx.nonce(), batch.recipients().size());
        return send(batch, claim, collection, tx, true, Sent.FIRST, held);
    }

    /**
     * Until when a fresh batch waits in this thread for an in-flight slot: {@code waitDelay} at most (what a {@code Delayed}
     * would have cost it, so waiting here is never slower), and early enough that the receipt wait after it
     * ({@code receiptTimeout}) still ends within the lease, so no other worker takes the batch over while this one holds it.
     */
    private Instant slotWaitEnds(Claim claim) {
        Instant byDelay = time.instant().plus(settings.waitDelay());
        Instant byLease = claim.until().minus(settings.receiptTimeout());
        return byDelay.isBefore(byLease) ? byDelay : byLease;
    }

    /** Stores the signed mint under the in-flight cap; empty when the cap is full (nothing stored or signed). */
    private Optional<StoredTransaction> writeAhead(Claim claim, Address minter, MintCall call, MintQuote quote) {
        // Mined batches that only wait for confirmations hold no in-flight slot: the cap is on transactions the chain has
        // not taken yet, or depth would slow every drop down to MAX_IN_FLIGHT batches per confirmation time.
        long minedBelow = settings.confirmations() > 0 ? chain.latestNonce(minter) : 0;
        List<Long> signedHere = new ArrayList<>(1);
        Optional<StoredTransaction> written;
        try {
            written = ledger.writeAheadWithin(claim, minter, settings.maxInFlight(), minedBelow, nonce -> {
                SignedTransaction signed = chain.signMint(call, nonce, quote);
                // Under the ledger's lock, so this process's nonces are registered in the order they are handed out.
                broadcastOrder.signed(nonce);
                signedHere.add(nonce);
                return signed;
            });
        } catch (RuntimeException | Error e) {
            signedHere.forEach(broadcastOrder::done);
            throw e;
        }
        // A signer called more than once (a retried database transaction) registered nonces that were not stored.
        long kept = written.map(StoredTransaction::nonce).orElse(-1L);
        signedHere.stream().filter(n -> n != kept).forEach(broadcastOrder::done);
        return written;
    }

    /**
     * Takes this process's turn to wait for an in-flight slot, waiting for it until {@code until} at most (at least
     * trying once).
     *
     * @return false when the turn did not come in time, or the thread was interrupted (shutdown): nothing was done
     */
    private boolean awaitTurn(Instant until) {
        long nanos = Math.max(0, Duration.between(time.instant(), until).toNanos());
        try {
            return writeAheadTurn.tryLock(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Pauses until the in-flight cap seems to have a free slot or {@code until} passes. Nothing is held meanwhile but the
     * lease and the queue job: no nonce is taken and nothing is signed, so giving up leaves no trace. Without
     * confirmations the ledger's count of SUBMITTED batches is the cap's own count and is read between pauses, so the
     * nonce lock is taken again only when a slot looks free; with confirmations that count also holds mined batches, so the
     * write-ahead (with the chain's nonce) is simply tried again after each pause.
     *
     * @param justTookTurn whether this batch has only now taken the process's turn to wait (see below)
     * @return true to try the write-ahead again, false when the time is up
     */
    private boolean awaitSlot(Address minter, Instant until, boolean justTookTurn) {
        // A batch that has just taken its turn looks before it pauses: the slot may have freed while the batch before it
        // signed, and a pause first held every waiting batch of the process to one signing per pause (seen on 400M-gas
        // blocks: batches that waited out waitDelay in the queue of turns, the worker idle for 13 s). Not with
        // confirmations, whose count is no slot count: there the write-ahead itself is the look.
        if (justTookTurn && settings.confirmations() == 0 && ledger.inFlight(minter) < settings.maxInFlight()) {
            return true;
        }
        Duration pause = settings.receiptPollInterval().compareTo(SLOT_POLL) < 0 ? settings.receiptPollInterval() : SLOT_POLL;
        while (time.instant().isBefore(until)) {
            // No block can be above Long.MAX_VALUE: this is a plain pause of the whole interval (the simulated one in tests).
            blocks.awaitAbove(Long.MAX_VALUE, pause);
            if (settings.confirmations() > 0 || ledger.inFlight(minter) < settings.maxInFlight()) {
                return true;
            }
        }
        return false;
    }

    private BatchOutcome recover(Batch batch, Claim claim, Address collection, List<StoredTransaction> stored,
            Holdings held) {
        LOG.log(Level.INFO, "Found existing txHash, checking receipt: batch {0}, {1,number,#} stored tx(s), latest {2}", batch.id(),
                stored.size(), stored.getLast().hash());
        LedgerCheck.Checked checked = ledgerCheck.check(batch, stored);
        if (checked.mined().isPresent()) {
            return settle(batch, claim, collection, checked.mined().get(), held);
        }
        if (batch.error().filter(e -> e.startsWith(ConfirmationCheck.AWAITING)).isPresent()) {
            // The last attempt saw a receipt and waited for its depth; now none of the batch's transactions is mined.
            LOG.log(Level.WARNING, "Batch {0}: chain reorganisation: its receipt is gone (last seen: {1}); back to the"
                    + " ledger", batch.id(), batch.error().get());
            held.waiting(REORGANISED + "the receipt it waited for is gone; its stored transaction goes back to the node");
        }
        StoredTransaction latest = stored.getLast();
        if (checked.retiredNonces().contains(latest.nonce())) {
            // The last attempt reverted in an earlier run and failed the batch; "Retry Failed" asked for another one. Its
            // nonce is spent, so the ledger has long moved past it.
            LOG.log(Level.INFO, "Batch {0}: tx {1} of run {2,number,#} reverted and was reported; run {3,number,#} signs a new transaction",
                    batch.id(), latest.hash(), latest.run(), batch.run());
            held.mayLand(false);
            return submitFresh(batch, claim, collection, held);
        }
        Address minter = chain.minter();
        long nonce = latest.nonce();
        // The reads that can lead to a second signature are pinned to one block: answered by a lagging or disagreeing
        // failover node, "nonce used" and "batch key unused" could otherwise describe two different chains. A node that has
        // not reached the block answers with an error, never with an older state.
        long block = chain.blockNumber();
        if (chain.nonceAt(minter, block) > nonce) {
            // The nonce is used. Read again in case ours was mined between the two calls, then ask the contract.
            LedgerCheck.Checked again = ledgerCheck.check(batch, stored);
            if (again.mined().isPresent()) {
                return settle(batch, claim, collection, again.mined().get(), held);
            }
            if (chain.batchKeyUsedAt(collection, batch.key(), block)) {
                return reconcile(batch, claim, collection, held);
            }
            // As of one block, the nonce was used and the batch key was not: another transaction took the nonce, so none of
            // ours can land any more, and a new nonce is safe.
            LOG.log(Level.WARNING, "Nonce {0,number,#} of batch {1} was used by another transaction by block {2,number,#} "
                    + "and the batch key was still unused there; signing on a new nonce", nonce, batch.id(), block);
            held.mayLand(false);
            ledger.resyncNonce(minter, chain.pendingNonce(minter));
            return submitFresh(batch, claim, collection, held);
        }
        if (!checked.anyPending()) {
            if (!time.instant().isBefore(latest.recordedAt().plus(settings.stuckAfter()))
                    && chain.pendingNonce(minter) >= nonce
                    && !replacementFees(latest).maxFeePerGas().isGreaterThan(settings.maxFeePerGas())) {
                // Rebroadcast before and still unknown: the node takes these bytes and drops them again (evicted as
                // underpriced, or a provider that never propagates). The same bytes would go round forever; fresh fees on
                // the same nonce can only replace it, never add a second mint. Not while an earlier nonce is missing:
                // that, not the fees, keeps it out, and the nonce-health check fills it.
                return replace(batch, claim, collection, latest, "unknown to the node since it was signed at "
                        + latest.recordedAt() + ", rebroadcasts did not stick", held);
            }
            LOG.log(Level.INFO, "Batch {0}: tx {1} unknown to the node and nonce {2,number,#} still free; rebroadcasting it", batch.id(),
                    latest.hash(), nonce);
            return send(batch, claim, collection, latest, true, Sent.AGAIN, held);
        }
        if (!time.instant().isBefore(latest.recordedAt().plus(settings.stuckAfter()))) {
            return replace(batch, claim, collection, latest, "stuck since " + latest.recordedAt(), held);
        }
        return awaitReceipt(batch, claim, collection, held);
    }

    private Fees replacementFees(StoredTransaction stuck) {
        return stuck.transaction().fees().bumped(settings.replacementBumpPercent(), chain.currentFees());
    }

    private BatchOutcome replace(Batch batch, Claim claim, Address collection, StoredTransaction stuck, String why,
            Holdings held) {
        Fees fees = replacementFees(stuck);
        MintQuote quote = new MintQuote(stuck.transaction().gasLimit(), fees);
        if (fees.maxFeePerGas().isGreaterThan(settings.maxFeePerGas())) {
            LOG.log(Level.WARNING, "Gas price above ceiling, not replacing stuck tx {0} of batch {1}; waiting", stuck.hash(),
                    batch.id());
            return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "gas price above ceiling");
        }
        SignedTransaction replacement = chain.signMint(MintCall.of(collection, batch), stuck.nonce(), quote);
        StoredTransaction stored = ledger.recordReplacement(claim, replacement);
        LOG.log(Level.INFO, "Batch {0}: tx {1} {2}; replaced by {3} on nonce {4} with fees +{5,number,#}%", batch.id(),
                stuck.hash(), why, replacement.hash(), Long.toString(stuck.nonce()), settings.replacementBumpPercent());
        return send(batch, claim, collection, stored, false, Sent.REPLACEMENT, held);
    }

    /** @param mayReprice whether a refusal of the fees may replace {@code tx} (not for a replacement just made) */
    private BatchOutcome send(Batch batch, Claim claim, Address collection, StoredTransaction tx, boolean mayReprice,
            Sent sent, Holdings held) {
        BroadcastResult result;
        if (sent == Sent.FIRST) {
            // In nonce order with this process's other fresh transactions: a node may leave one that came early out of
            // its next block. Waiting is bounded, and the order is only about speed.
            broadcastOrder.awaitTurn(tx.nonce());
            try {
                result = chain.broadcast(tx.transaction());
            } finally {
                broadcastOrder.done(tx.nonce());
            }
        } else {
            result = chain.broadcast(tx.transaction());
        }
        if (!(result instanceof BroadcastResult.Rejected)) {
            tell(() -> {
                switch (sent) {
                    case FIRST -> events.transactionSent(batch, tx);
                    case AGAIN -> events.transactionRebroadcast(batch, tx);
                    case REPLACEMENT -> events.transactionReplaced(batch, tx);
                }
            });
        }
        if (result instanceof BroadcastResult.Rejected rejected) {
            switch (rejected.failure()) {
                case NONCE_TOO_LOW -> {
                    // Ours may have been mined already, or the nonce went elsewhere: the next attempt sorts out which.
                    LedgerCheck.Checked checked = ledgerCheck.check(batch, ledger.forBatch(batch.id()));
                    if (checked.mined().isPresent()) {
                        return settle(batch, claim, collection, checked.mined().get(), held);
                    }
                    ledger.resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
                    // Not a failed attempt: the transaction may be ours landing on another node's view.
                    return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "nonce too low on broadcast of "
                            + tx.hash() + "; checking which transaction used it");
                }
                case NONCE_TOO_HIGH -> {
                    // A lower nonce of ours has not reached this node yet (its batch, or the nonce-health check, will
                    // rebroadcast or fill it). This transaction keeps its nonce: signing another would risk two mints. Wait
                    // for the gap to fill, using no attempt.
                    LOG.log(Level.WARNING, "Batch {0}: nonce {1,number,#} is ahead of the node''s pending nonce "
                            + "{2,number,#}; waiting for the earlier transactions to land", batch.id(), tx.nonce(),
                            chain.pendingNonce(chain.minter()));
                    return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "nonce too high: waiting for "
                            + "earlier transactions");
                }
                case UNDERPRICED -> {
                    // An earlier transaction of ours in the mempool holds the nonce: wait for whichever lands. None of ours
                    // pending means the node refused the fees themselves (below the base fee): sending the same bytes again
                    // would be refused forever, so the transaction is priced afresh on the same nonce, once per attempt.
                    LedgerCheck.Checked now = ledgerCheck.check(batch, ledger.forBatch(batch.id()));
                    if (now.mined().isPresent()) {
                        return settle(batch, claim, collection, now.mined().get(), held);
                    }
                    if (mayReprice && !now.anyPending()) {
                        return replace(batch, claim, collection, tx, "refused as underpriced (" + rejected.message() + ")",
                                held);
                    }
                    return awaitReceipt(batch, claim, collection, held);
                }
                case INSUFFICIENT_FUNDS -> {
                    LOG.log(Level.WARNING, "Minter balance too low, delaying batch {0}: {1}", batch.id(),
                            rejected.message());
                    return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "Minter balance too low");
                }
                default -> throw new ChainRejectedException(rejected.failure(), rejected.message());
            }
        }
        // The same rule as the ledger check's: a revert of an earlier run's transaction is no answer for this run.
        Optional<MintReceipt> returned = (result instanceof BroadcastResult.Accepted accepted ? accepted.receipt()
                : Optional.<MintReceipt>empty()).filter(receipt -> !LedgerCheck.retiredByRetry(batch, tx, receipt));
        if (returned.isPresent()) {
            LOG.log(Level.DEBUG, "Batch {0}: the node answered the broadcast of tx {1} with its receipt (block {2,number,#})",
                    batch.id(), tx.hash(), returned.get().blockNumber());
        }
        return awaitReceipt(batch, claim, collection, held, returned);
    }

    private BatchOutcome awaitReceipt(Batch batch, Claim claim, Address collection, Holdings held) {
        return awaitReceipt(batch, claim, collection, held, Optional.empty());
    }

    /**
     * Looks for a receipt until one is mined or the receipt timeout passes, looking again as soon as a new block is known
     * (at most {@link DistributionSettings#receiptPollInterval()} apart).
     *
     * @param known a receipt already in hand (the broadcast returned it): the first look uses it instead of asking
     */
    private BatchOutcome awaitReceipt(Batch batch, Claim claim, Address collection, Holdings held,
            Optional<MintReceipt> known) {
        held.prepared();
        Instant deadline = time.instant().plus(settings.receiptTimeout());
        long seen = blocks.head();
        Optional<MintReceipt> first = known;
        boolean toldUnsealed = false;
        Instant unknownSince = null;
        // Read once: while this worker holds the lease, only it stores transactions for the batch, and it stores none in
        // this loop (a lost one is sent again as it is). Read at every look, the rows — each with its signed transaction,
        // about 10 KB at 330 recipients — came back three times a second for each of 75 batches waiting at 400M-gas
        // blocks, on connections the starting batches were waiting for.
        List<StoredTransaction> stored = List.of();
        while (true) {
            Optional<MintReceipt> mined = first;
            if (first.isEmpty()) {
                if (stored.isEmpty()) {
                    stored = ledger.forBatch(batch.id());
                }
                LedgerCheck.Checked checked = ledgerCheck.check(batch, stored);
                mined = checked.mined();
                boolean lost = mined.isEmpty() && !checked.anyPending();
                unknownSince = rebroadcastIfLost(batch, stored.getLast(), lost, unknownSince);
            }
            first = Optional.empty();
            boolean inTime = time.instant().isBefore(deadline);
            if (mined.isPresent() && inTime && confirmationCheck.unsealed(mined.get())) {
                // A preconfirmed receipt (Flashblocks): its block is sealed within a block time, so waiting for it here
                // costs less than handing the batch on for the wait delay.
                if (!toldUnsealed) {
                    LOG.log(Level.INFO, "Batch {0}: tx {1} has a preconfirmed receipt for block {2,number,#}, not sealed"
                            + " yet; waiting for the block (ACCEPT_PRECONFIRMATIONS is off)", batch.id(),
                            mined.get().hash(), mined.get().blockNumber());
                    toldUnsealed = true;
                }
            } else if (mined.isPresent()) {
                return settle(batch, claim, collection, mined.get(), held);
            } else if (!inTime) {
                LOG.log(Level.INFO, "Batch {0}: no receipt within {1,number,#}s; will check again", batch.id(),
                        settings.receiptTimeout().toSeconds());
                return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), "transaction pending");
            }
            seen = Math.max(seen, blocks.awaitAbove(seen, settings.receiptPollInterval()));
        }
    }

    /**
     * Sends a transaction the node no longer holds again, byte for byte (always safe: same nonce, same bytes), once it has
     * been unknown for {@value #LOST_POLLS} receipt polls, about a block. Nodes lose transactions: anvil 1.7 kept a
     * transaction that arrived just before the one of the nonce below it out of its blocks until it was sent again (seen
     * in bin/bench), and a load-balanced provider may answer from a node that never got it. Waiting for the receipt
     * timeout and the nonce-health check would leave the nonces above it stuck for half a minute.
     *
     * @return when the transaction was first seen unknown; null while the node holds or mined it
     */
    private Instant rebroadcastIfLost(Batch batch, StoredTransaction latest, boolean lost, Instant unknownSince) {
        if (!lost) {
            return null;
        }
        Instant now = time.instant();
        if (unknownSince == null) {
            return now;
        }
        if (now.isBefore(unknownSince.plus(settings.receiptPollInterval().multipliedBy(LOST_POLLS)))) {
            return unknownSince;
        }
        BroadcastResult result = chain.broadcast(latest.transaction());
        LOG.log(Level.INFO, "Batch {0}: tx {1} (nonce {2,number,#}) is unknown to the node; sent it again: {3}", batch.id(),
                latest.hash(), latest.nonce(), result instanceof BroadcastResult.Rejected r ? "refused (" + r.message()
                        + "); the next attempt sorts out who used the nonce" : "taken");
        if (!(result instanceof BroadcastResult.Rejected)) {
            tell(() -> events.transactionRebroadcast(batch, latest));
        }
        return now;
    }

    /** News of blocks that has none: each wait is the whole poll interval, slept by {@code sleeper}. */
    private static NewBlocks sleeping(Sleeper sleeper) {
        Objects.requireNonNull(sleeper, "sleeper");
        return new NewBlocks() {
            @Override
            public long head() {
                return -1;
            }

            @Override
            public long awaitAbove(long seen, Duration atMost) {
                sleeper.sleep(atMost);
                return -1;
            }
        };
    }

    /**
     * Acts on a mined receipt once it is deep enough, reading it again at that moment: success completes the batch, a used
     * batch key reconciles it, any other revert fails it. A revert waits for depth too: reorganised out, the same transaction
     * may be mined again and succeed. Before that depth the batch waits, SUBMITTED; a receipt gone or moved when read again
     * sends the batch back to the ledger.
     */
    private BatchOutcome settle(Batch batch, Claim claim, Address collection, MintReceipt mined, Holdings held) {
        MintReceipt receipt;
        switch (confirmationCheck.check(mined)) {
            case ConfirmationCheck.Verdict.Confirmed confirmed -> receipt = confirmed.receipt();
            case ConfirmationCheck.Verdict.Shallow shallow -> {
                return awaitDepth(batch, shallow, held);
            }
            case ConfirmationCheck.Verdict.Reorganised reorganised -> {
                return afterReorg(batch, claim, collection, reorganised, held);
            }
        }
        if (receipt.succeeded()) {
            complete(batch, receipt);
            return new BatchOutcome.Completed(batch.id(), receipt, false);
        }
        if (receipt.failure() == ChainFailure.BATCH_KEY_USED) {
            return reconcile(batch, claim, collection, held);
        }
        return fail(claim, batch, "Transaction reverted: " + receipt.failure().description() + " (tx " + receipt.hash()
                + ", block " + receipt.blockNumber() + ")");
    }

    /** The batch stays SUBMITTED, its error saying what it waits for; the delay uses no attempt. */
    private BatchOutcome awaitDepth(Batch batch, ConfirmationCheck.Verdict.Shallow shallow, Holdings held) {
        String reason = confirmationCheck.awaiting(shallow);
        LOG.log(Level.INFO, "Batch {0}: tx {1} mined in block {2,number,#}, {3,number,#} of {4,number,#} confirmations;"
                + " checking again in {5,number,#}s", batch.id(), shallow.receipt().hash(), shallow.receipt().blockNumber(),
                Math.max(0, shallow.depth()), confirmationCheck.required(), settings.waitDelay().toSeconds());
        held.waiting(reason);
        return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), reason);
    }

    /**
     * A receipt read again was gone or in another block. The batch goes back to the ledger path at once: a vanished
     * transaction is rebroadcast byte for byte while its nonce is free, a moved one is settled on its new receipt. Only a
     * few times per call, so a chain that keeps reorganising cannot hold the worker.
     */
    private BatchOutcome afterReorg(Batch batch, Claim claim, Address collection,
            ConfirmationCheck.Verdict.Reorganised reorganised, Holdings held) {
        MintReceipt before = reorganised.before();
        String now = reorganised.now() instanceof TransactionStatus.Mined m ? "now in block " + m.receipt().blockNumber()
                + m.receipt().blockHash().map(h -> " (" + h + ")").orElse("")
                : reorganised.now() instanceof TransactionStatus.Pending ? "back in the mempool" : "unknown to the node";
        LOG.log(Level.WARNING, "Batch {0}: chain reorganisation: tx {1} was mined in block {2,number,#}{3} but is {4};"
                + " back to the ledger", batch.id(), before.hash(), before.blockNumber(),
                before.blockHash().map(h -> " (" + h + ")").orElse(""), now);
        String reason = REORGANISED + "tx " + before.hash() + " mined in block " + before.blockNumber() + " is " + now;
        held.waiting(reason);
        if (held.reorganisationSeen() > MAX_REORGS_PER_CALL) {
            return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), reason);
        }
        return recover(batch, claim, collection, ledger.forBatch(batch.id()), held);
    }

    private BatchOutcome reconcile(Batch batch, Claim claim, Address collection, Holdings held) {
        // The collection cannot hold a mint older than its deployment: scanning from there keeps the log search bounded.
        long deployBlock = campaigns.find(batch.campaignId()).flatMap(Campaign::collection)
                .flatMap(CollectionDeployment::deployBlock).orElse(0L);
        Optional<MintReceipt> mint = chain.findMint(collection, batch.key(), deployBlock);
        if (mint.isEmpty()) {
            // The contract says the key is used but the node answering the logs does not show the mint yet (it lags): the
            // batch is minted, so this is waiting, not a failed attempt.
            String reason = "minted on chain (batch key used) but the mint is not visible on the node yet";
            LOG.log(Level.INFO, "Batch {0}: {1}; checking again in {2,number,#}s", batch.id(), reason,
                    settings.waitDelay().toSeconds());
            return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), reason);
        }
        MintReceipt found;
        switch (confirmationCheck.check(mint.get())) {
            case ConfirmationCheck.Verdict.Confirmed confirmed -> found = confirmed.receipt();
            case ConfirmationCheck.Verdict.Shallow shallow -> {
                return awaitDepth(batch, shallow, held);
            }
            case ConfirmationCheck.Verdict.Reorganised reorganised -> {
                // The mint found by its logs moved or vanished: the logs are read afresh on the next attempt.
                LOG.log(Level.WARNING, "Batch {0}: chain reorganisation: the mint of its batch key by tx {1} in block"
                        + " {2,number,#} is gone or moved; looking again in {3,number,#}s", batch.id(),
                        reorganised.before().hash(), reorganised.before().blockNumber(), settings.waitDelay().toSeconds());
                String reason = REORGANISED + "tx " + reorganised.before().hash() + " that minted its batch key is gone or moved";
                held.waiting(reason);
                return new BatchOutcome.Delayed(batch.id(), settings.waitDelay(), reason);
            }
        }
        LOG.log(Level.INFO, "Batch {0}: already minted on chain by tx {1}; reconciling {2,number,#} token ids", batch.id(),
                found.hash(), found.tokens().size());
        complete(batch, found);
        return new BatchOutcome.Completed(batch.id(), found, true);
    }

    private void complete(Batch batch, MintReceipt receipt) {
        if (batches.complete(batch.id(), receipt)) {
            tell(() -> events.batchMined(batch, receipt));
            LOG.log(Level.INFO, "Batch {0} completed: {1,number,#} tokens minted in block {2,number,#} by tx {3}, gas used {4,number,#}", batch.id(),
                    receipt.tokens().size(), receipt.blockNumber(), receipt.hash(), receipt.gasUsed());
        }
        progress.refresh(batch.campaignId());
    }

    private BatchOutcome fail(Claim claim, Batch batch, String error) {
        if (batches.fail(claim, error)) {
            LOG.log(Level.WARNING, "Batch {0} FAILED: {1}", batch.id(), error);
            progress.refresh(batch.campaignId());
        }
        return new BatchOutcome.Failed(batch.id(), error);
    }

    /** Which broadcast of a stored transaction {@link #send} makes, for {@link WorkerEvents}. */
    private enum Sent { FIRST, AGAIN, REPLACEMENT }

    /** Tells the observer; its failure is logged and never changes what happens to the batch. */
    private void tell(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Worker events observer failed (ignored): {0}", String.valueOf(e));
        }
    }
}
