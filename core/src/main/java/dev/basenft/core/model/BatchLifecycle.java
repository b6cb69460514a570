package dev.basenft.core.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What each batch operation may start from, and where it leads: the one place that answers "what can move a batch back to
 * PENDING?" Every store checks these sets in its compare-and-set (PostgreSQL builds its {@code WHERE status IN (…)} from
 * them), so no store writes the rule on its own. Each set agrees with {@link BatchStatus#next()}.
 *
 * <table>
 *   <caption>Operations</caption>
 *   <tr><th>operation</th><th>from</th><th>to</th></tr>
 *   <tr><td>claim</td><td>{@link #CLAIMABLE}</td><td>PENDING becomes PROCESSING; the others stay</td></tr>
 *   <tr><td>release</td><td>{@link #RELEASABLE}</td><td>PROCESSING becomes PENDING; SUBMITTED stays</td></tr>
 *   <tr><td>write-ahead, replace</td><td>{@link #SUBMITTABLE}</td><td>SUBMITTED</td></tr>
 *   <tr><td>complete</td><td>{@link #COMPLETABLE}</td><td>COMPLETED</td></tr>
 *   <tr><td>fail</td><td>{@link #FAILABLE}</td><td>FAILED</td></tr>
 *   <tr><td>retry ("Retry Failed")</td><td>{@link #RETRYABLE}</td><td>PENDING, with a new run</td></tr>
 *   <tr><td>cancel (campaign cancelled)</td><td>{@link #CANCELLABLE}</td><td>CANCELLED, no lease needed</td></tr>
 *   <tr><td>withdraw (campaign cancelled)</td><td>{@link #WITHDRAWABLE}</td><td>CANCELLED, by its lease holder</td></tr>
 * </table>
 *
 * So only a release (before anything was sent) and a retry move a batch back to PENDING, and only a batch nothing was signed
 * for (PENDING, or PROCESSING under the canceller's own lease) can be cancelled. The sets are immutable; this class
 * is stateless and thread-safe.
 */
public final class BatchLifecycle {

    /** Queued or being worked on: what the queue must hold a job for. */
    public static final Set<BatchStatus> OPEN = of(BatchStatus.PENDING, BatchStatus.PROCESSING, BatchStatus.SUBMITTED);
    /** A worker may claim an open batch; a claimed one it may claim again when its lease lapsed. */
    public static final Set<BatchStatus> CLAIMABLE = OPEN;
    /** A lease holder may give back a batch it claimed: PROCESSING goes back to PENDING, SUBMITTED stays SUBMITTED. */
    public static final Set<BatchStatus> RELEASABLE = of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED);
    /** A lease holder may store a signed transaction (or its replacement) for a claimed batch. */
    public static final Set<BatchStatus> SUBMITTABLE = of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED);
    /** A mined receipt completes a claimed batch; PROCESSING too, for a recovering worker that finds it already minted. */
    public static final Set<BatchStatus> COMPLETABLE = of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED);
    /** A lease holder may fail a claimed batch. */
    public static final Set<BatchStatus> FAILABLE = of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED);
    /** "Retry Failed" starts a new run of a failed batch. */
    public static final Set<BatchStatus> RETRYABLE = of(BatchStatus.FAILED);
    /**
     * A cancelled campaign's batch that nobody holds and nothing was signed for in this run. PENDING only: a PROCESSING
     * batch is some worker's, which may be about to sign; that worker withdraws it ({@link #WITHDRAWABLE}).
     */
    public static final Set<BatchStatus> CANCELLABLE = of(BatchStatus.PENDING);
    /**
     * A lease holder whose write-ahead was refused because the campaign was cancelled withdraws its batch: PROCESSING means
     * nothing is signed for the run (the write-ahead moves a batch to SUBMITTED in the same transaction as it stores it).
     */
    public static final Set<BatchStatus> WITHDRAWABLE = of(BatchStatus.PROCESSING);

    private BatchLifecycle() {
    }

    /** Where a claim leaves a batch of status {@code from} (one of {@link #CLAIMABLE}); not null. */
    public static BatchStatus afterClaim(BatchStatus from) {
        require(CLAIMABLE, from, BatchStatus.PROCESSING);
        return from == BatchStatus.PENDING ? BatchStatus.PROCESSING : from;
    }

    /** Where a release leaves a batch of status {@code from} (one of {@link #RELEASABLE}); not null. */
    public static BatchStatus afterRelease(BatchStatus from) {
        require(RELEASABLE, from, BatchStatus.PENDING);
        return from == BatchStatus.PROCESSING ? BatchStatus.PENDING : from;
    }

    /**
     * Throws unless an operation that may start from {@code allowed} may start from {@code from}.
     *
     * @param towards the status the operation leads to, for the message
     * @throws IllegalTransitionException when {@code allowed} does not hold {@code from}
     */
    static void require(Set<BatchStatus> allowed, BatchStatus from, BatchStatus towards) {
        Require.notNull("status", from);
        if (!allowed.contains(from)) {
            throw new IllegalTransitionException("batch", from, towards);
        }
    }

    private static Set<BatchStatus> of(BatchStatus first, BatchStatus... rest) {
        return Collections.unmodifiableSet(EnumSet.of(first, rest));
    }
}
