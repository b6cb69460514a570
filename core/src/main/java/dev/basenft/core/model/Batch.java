package dev.basenft.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The runbook's "distribution record": a fixed list of recipients minted by one {@code mintBatch} call.
 *
 * @param id never null
 * @param campaignId never null
 * @param index position within the campaign, from 0; unique per campaign
 * @param key the on-chain batch key, derived from campaign and index; never null
 * @param recipients fixed when planned, 1 or more, no duplicates; never null
 * @param status never null
 * @param attempts how many times a worker has claimed it
 * @param run incremented by each "Retry Failed", so a retried batch gets a fresh queue job
 * @param nonce the minter nonce of its transaction once signed; never null
 * @param gasUsed once mined; never null
 * @param blockNumber once mined; never null
 * @param error the readable reason of the last failure; never null
 * @param updatedAt never null
 */
public record Batch(
        BatchId id,
        CampaignId campaignId,
        int index,
        BatchKey key,
        List<Address> recipients,
        BatchStatus status,
        int attempts,
        int run,
        Optional<Long> nonce,
        Optional<Long> gasUsed,
        Optional<Long> blockNumber,
        Optional<String> error,
        Instant updatedAt) {

    public Batch {
        Require.notNull("id", id);
        Require.notNull("campaignId", campaignId);
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        Require.notNull("key", key);
        recipients = List.copyOf(Require.notNull("recipients", recipients));
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one recipient");
        }
        if (recipients.stream().distinct().count() != recipients.size()) {
            throw new IllegalArgumentException("a batch must not list an address twice");
        }
        Require.notNull("status", status);
        if (attempts < 0 || run < 0) {
            throw new IllegalArgumentException("attempts and run must not be negative");
        }
        Require.notNull("nonce", nonce);
        Require.notNull("gasUsed", gasUsed);
        Require.notNull("blockNumber", blockNumber);
        Require.notNull("error", error);
        Require.notNull("updatedAt", updatedAt);
    }

    /** A freshly planned batch: PENDING, no attempts, key derived from campaign and index. */
    public static Batch planned(BatchId id, CampaignId campaignId, int index, List<Address> recipients, Instant at) {
        return new Batch(id, campaignId, index, BatchKey.derive(campaignId, index), recipients, BatchStatus.PENDING, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), at);
    }

    /** The queue job id for this batch's current run: letters, digits, dashes and underscores only (BullMQ forbids ':'). */
    public String jobId() {
        return "batch_" + id + "_" + run;
    }
}
