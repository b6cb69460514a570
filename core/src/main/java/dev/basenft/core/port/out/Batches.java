package dev.basenft.core.port.out;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.BatchOverview;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.FeesPaid;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.PlannedBatch;
import dev.basenft.core.model.Require;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where batches are kept, with the claim (a lease) that lets exactly one worker drive a batch at a time. Every change is a
 * conditional update: a worker whose lease was taken over cannot overwrite the new owner's work. Safe for concurrent use.
 */
public interface Batches {

    /** The index the next planned batch of {@code campaign} gets: one more than the highest so far, 0 for none. */
    int nextIndex(CampaignId campaign);

    /**
     * Stores freshly planned PENDING batches and moves each of their recipients from PENDING to PROCESSING, all in one
     * transaction.
     *
     * @throws PlanningConflictException if a recipient is no longer PENDING or an index is taken (someone planned first);
     *     nothing is stored then
     */
    void savePlanned(List<Batch> batches);

    /**
     * Plans the campaign's next unplanned recipients, in the order they were added, into PENDING batches and stores them,
     * in one transaction: batch {@code i} (index {@code firstIndex + i}, id {@code ids[i]}, key
     * {@link dev.basenft.core.model.BatchKey#derive}) holds recipients {@code i × batchSize} up to
     * {@code (i + 1) × batchSize} of them, and moves them from PENDING to PROCESSING. Ids past the last recipient are not
     * used. The store reads, cuts and stores the recipients itself, so they need not travel to the caller and back: the
     * same result as {@link #savePlanned} of what {@code Recipients.pending} would hand out, without the round trip.
     *
     * @param firstIndex the index of the first batch (the campaign's next free index); 0 or more
     * @param ids the new batches' ids, 1 or more, no nulls, no repeats
     * @param batchSize recipients per batch, 1 to {@link dev.basenft.core.planning.BatchPlanner#MAX_BATCH_SIZE}
     * @param at the batches' {@code updatedAt}; not null
     * @return the batches stored, in index order, without their recipients (what the queue needs, and how many each holds;
     *     {@link #find} reads one whole); empty when the campaign has no unplanned recipient
     * @throws PlanningConflictException if an index or id is taken (someone planned first); nothing is stored then
     * @throws IllegalArgumentException if the campaign does not exist or an argument is out of range; nothing is stored
     */
    List<PlannedBatch> planNext(CampaignId campaign, int firstIndex, List<BatchId> ids, int batchSize, Instant at);

    /**
     * The checks every implementation of {@link #planNext} makes first, so that every store refuses the same calls,
     * naming the same argument.
     *
     * @throws IllegalArgumentException naming the argument that is null or out of range
     */
    static void requirePlanNextArguments(CampaignId campaign, int firstIndex, List<BatchId> ids, int batchSize,
            Instant at) {
        Require.notNull("campaign", campaign);
        Require.atLeast("firstIndex", firstIndex, 0);
        Require.notNull("ids", ids);
        Require.atLeast("ids.size", ids.size(), 1);
        for (int i = 0; i < ids.size(); i++) {
            Require.notNull("ids[" + i + "]", ids.get(i));
        }
        Require.between("batchSize", batchSize, 1, dev.basenft.core.planning.BatchPlanner.MAX_BATCH_SIZE);
        Require.notNull("at", at);
    }

    Optional<Batch> find(BatchId id);

    /**
     * The campaign a batch belongs to, without reading its recipients: what a worker's log lines name before the batch
     * itself is read.
     *
     * @param id never null
     * @return empty when there is no such batch
     */
    Optional<CampaignId> campaignOf(BatchId id);

    /** A campaign's batches in index order. */
    List<Batch> byCampaign(CampaignId campaign);

    /**
     * One page of a campaign's batches in index order, without their recipient lists: what a listing shows. One read per
     * page, whatever the batches hold.
     *
     * @param afterIndex the last index of the previous page, or empty for the first page; never null
     * @param limit page size, 1–10,000
     * @return up to {@code limit} batches with an index greater than {@code afterIndex}
     */
    List<BatchOverview> overviews(CampaignId campaign, Optional<Integer> afterIndex, int limit);

    /** What the minter paid for the campaign's COMPLETED batches, from their receipts; {@link FeesPaid#NONE} for none. */
    FeesPaid feesPaid(CampaignId campaign);

    /**
     * Batches not yet COMPLETED or FAILED, across every campaign, in id order: what the queue must hold a job for (see
     * {@link DistributionQueue#ensureQueued}). Keyset-paginated.
     *
     * @param after the last id of the previous page, or empty for the first page; never null
     * @param limit page size, 1–10,000
     * @return up to {@code limit} batches with ids greater than {@code after}; empty when there are no more
     */
    List<Batch> open(Optional<BatchId> after, int limit);

    /**
     * FAILED batches across every campaign, in id order, keyset-paginated as {@link #open}: what an operator must look at
     * (their errors say why) before pressing "Retry Failed".
     *
     * @param after the last id of the previous page, or empty for the first page; never null
     * @param limit page size, 1–10,000
     */
    List<Batch> failed(Optional<BatchId> after, int limit);

    /** Counts by status; every status present. */
    Map<BatchStatus, Long> countByStatus(CampaignId campaign);

    /**
     * Claims an open batch for a worker: succeeds when the batch is PENDING, PROCESSING or SUBMITTED and its lease is free,
     * expired, or already the claimant's. A PENDING batch becomes PROCESSING; attempts goes up by one. A PENDING batch of a
     * {@linkplain dev.basenft.core.model.CampaignStatus#isHalted() paused or cancelled} campaign is not claimed (so no
     * attempt is used while it waits); the write-ahead's own check ({@link TransactionLedger#writeAheadWithin}) is what
     * keeps a batch claimed just before the pause from being signed.
     *
     * @return the claimed batch, or empty when it is COMPLETED, FAILED, CANCELLED, missing, leased by another worker, or
     *     PENDING in a halted campaign
     */
    Optional<Batch> claim(Claim claim);

    /**
     * Gives a claimed batch back without failing it: PROCESSING returns to PENDING, SUBMITTED stays SUBMITTED, the lease is
     * cleared.
     *
     * @return false when the claim is no longer the batch's
     */
    default boolean release(Claim claim) {
        return release(claim, Optional.empty());
    }

    /**
     * As {@link #release(Claim)}, and when {@code waiting} is present it becomes the batch's {@code error}: why the batch
     * waits (a transaction of unknown fate, say), shown by the API while the status stays what it was. Completing the batch
     * clears it.
     *
     * @param waiting never null; a present reason is not blank (a store may cut a very long one)
     * @return false when the claim is no longer the batch's
     */
    boolean release(Claim claim, Optional<String> waiting);

    /**
     * Records a mined mint: the batch becomes COMPLETED with the receipt's block, gas and fees, and every recipient COMPLETED with
     * its token id and the receipt's hash, in one transaction. Needs no lease: a mined receipt is a fact.
     *
     * @param receipt a successful receipt, or a reconciliation whose tokens cover every recipient of the batch
     * @return false when the batch was already COMPLETED (nothing changes)
     * @throws IllegalArgumentException if the tokens do not name every recipient of the batch exactly once
     */
    boolean complete(BatchId id, MintReceipt receipt);

    /**
     * Marks a batch FAILED with a readable error, and its recipients FAILED, if the claim is still the batch's; in the same
     * transaction it records a {@code batch.failed} webhook event (data: {@code batchId}, {@code index}, {@code run},
     * {@code error}), so the change and its event are kept together or not at all (see {@link Webhooks}).
     *
     * @return false when the claim is no longer the batch's
     */
    boolean fail(Claim claim, String error);

    /**
     * "Retry Failed": a FAILED batch becomes PENDING again with {@code run} increased (so it gets a fresh queue job) and its
     * recipients PROCESSING.
     *
     * @return the requeued batch, or empty when it was not FAILED
     */
    Optional<Batch> requeue(BatchId id);

    /**
     * Cancels what nothing was signed for: every PENDING batch of the campaign becomes CANCELLED and its recipients PENDING
     * again (unplanned: {@link Recipients#pending} hands them out again), in one transaction. A batch a worker holds
     * (PROCESSING) or has signed for (SUBMITTED) is left alone. Idempotent.
     *
     * @param campaign never null
     * @return how many batches this call cancelled
     */
    int cancelPending(CampaignId campaign);

    /**
     * A lease holder withdraws its PROCESSING batch (nothing signed: its write-ahead was refused because the campaign was
     * cancelled): the batch becomes CANCELLED, its recipients PENDING again, the lease cleared, in one transaction.
     *
     * @return false when the claim is no longer the batch's or the batch is not PROCESSING (nothing changes)
     */
    boolean withdraw(Claim claim);
}
