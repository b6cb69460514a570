package dev.basenft.core.service;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Claim;
import java.util.Optional;

/**
 * What one {@link BatchProcessor#process} call holds and must give back once, whatever path the batch takes: the circuit
 * breaker's half-open trial, its turn to prepare a batch for sending ({@link PreparationTurns}), and, once the batch is
 * claimed, its lease. It also remembers whether a transaction of the batch may still land, which decides whether an
 * error may fail the batch. {@link #close()} is the one place all of them are given back, so a new branch cannot forget
 * to; the turn may go back earlier, once the batch waits for its receipt ({@link #prepared()}).
 *
 * <ul>
 *   <li>The trial goes back unless the chain gave a verdict ({@link #recordSuccess}, {@link #recordFailure}): that closes or
 *       reopens the breaker, which ends the trial; giving it back afterwards could hand back a later caller's trial.
 *   <li>The lease goes back when the outcome hands the batch on for later ({@code Delayed}, {@code RetryLater}) and the lease
 *       is still this worker's. A completed or failed batch had its lease cleared by the store in the same write; a lease
 *       taken over is the new owner's; after an exception it is left to lapse, since nothing says the batch may be handed
 *       on at once.
 * </ul>
 *
 * <p>Not thread-safe: one per call, used on the calling thread. Arguments must not be null.
 */
final class Holdings implements AutoCloseable {

    private final CircuitBreaker breaker;
    private final Batches batches;
    private final PreparationTurns.Turn turn;
    private boolean judged;
    /** The claim whose lease this call holds; null before the claim and once the lease is not ours to give back. */
    private Claim lease;
    private BatchOutcome outcome;
    /** Whether a transaction of this batch may still land; see {@link #mayLand()}. */
    private boolean mayLand;
    /** Why the batch waits, recorded with the lease's release; null for none. */
    private String waiting;
    /** Chain reorganisations this call followed back to the ledger. */
    private int reorganisations;

    Holdings(CircuitBreaker breaker, Batches batches, PreparationTurns.Turn turn) {
        this.breaker = breaker;
        this.batches = batches;
        this.turn = turn;
    }

    /**
     * The batch now waits for the chain (its receipt): the turn to prepare goes back, for another batch to be prepared
     * meanwhile. Nothing else is given back.
     */
    void prepared() {
        turn.close();
    }

    /** The batch is claimed: its lease is held from now on. */
    void claimed(Claim claim) {
        lease = claim;
    }

    /** Another worker took the lease over: it is not ours to give back. */
    void leaseLost() {
        lease = null;
    }

    /**
     * Notes whether a stored transaction of the batch may still be mined: true once one is stored (or found in the ledger),
     * false once its nonce is known to be spent elsewhere or its revert reported.
     */
    void mayLand(boolean value) {
        mayLand = value;
    }

    /** Records why the batch waits: given to the store with the lease, as the batch's error the API shows. */
    void waiting(String reason) {
        waiting = reason;
    }

    /** Whether a transaction of the batch may still land: then its fate is unknown, and no error may fail the batch. */
    boolean mayLand() {
        return mayLand;
    }

    /** The chain answered: see {@link CircuitBreaker#recordSuccess()}. */
    boolean recordSuccess() {
        judged = true;
        return breaker.recordSuccess();
    }

    /** The chain could not be reached: see {@link CircuitBreaker#recordFailure()}. */
    boolean recordFailure() {
        judged = true;
        return breaker.recordFailure();
    }

    /** Notes how the call ends, for {@link #close()}; returns {@code result}. */
    BatchOutcome exit(BatchOutcome result) {
        outcome = result;
        return result;
    }

    /**
     * Gives back what is still held. The turn and the trial first, so a store failure while releasing the lease cannot
     * keep them.
     */
    @Override
    public void close() {
        turn.close();
        if (!judged) {
            breaker.releaseTrial();
        }
        if (lease != null && (outcome instanceof BatchOutcome.Delayed || outcome instanceof BatchOutcome.RetryLater)) {
            batches.release(lease, Optional.ofNullable(waiting));
        }
    }

    /** Counts a chain reorganisation this call met; returns how many it has met so far. */
    int reorganisationSeen() {
        return ++reorganisations;
    }
}
