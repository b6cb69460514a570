package dev.basenft.core.model;

/**
 * A batch just planned and stored, as planning reports it: enough to queue it and count what was planned, without its
 * recipients (the store keeps them). Immutable and thread-safe.
 *
 * @param id never null
 * @param campaignId never null
 * @param index position within the campaign, from 0
 * @param run 0 or more (0 for a freshly planned batch)
 * @param size how many recipients it holds; 1 or more
 */
public record PlannedBatch(BatchId id, CampaignId campaignId, int index, int run, int size) implements BatchRef {

    public PlannedBatch {
        Require.notNull("id", id);
        Require.notNull("campaignId", campaignId);
        Require.atLeast("index", index, 0);
        Require.atLeast("run", run, 0);
        Require.atLeast("size", size, 1);
    }
}
