package dev.basenft.core.planning;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.IdGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Cuts recipients into batches of at most {@code batchSize}, in the order given, with consecutive indexes and the
 * deterministic batch keys of {@link dev.basenft.core.model.BatchKey#derive}. Stateless and thread-safe.
 */
public final class BatchPlanner {

    /**
     * Gas-wise the most one mint may hold: 349 fresh recipients. 350 use about 16.54M gas, under the 16,777,216
     * per-transaction cap, but through a factory clone the call needs gasUsed × 64/63 of gas limit (EIP-150's
     * DELEGATECALL keeps 1/64 back), about 16.80M, over the cap; 349 was measured on chain as the largest that fits.
     */
    public static final int MAX_BATCH_SIZE = 349;

    private final int batchSize;
    private final IdGenerator ids;

    /**
     * @param batchSize 1 to {@value #MAX_BATCH_SIZE}
     * @param ids never null
     */
    public BatchPlanner(int batchSize, IdGenerator ids) {
        this.batchSize = Require.between("batchSize", batchSize, 1, MAX_BATCH_SIZE);
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /**
     * Plans batches for {@code recipients}.
     *
     * @param firstIndex the index of the first batch (the campaign's next free index)
     * @param recipients no duplicates; never null; may be empty (then no batches)
     * @return PENDING batches; never null
     * @throws IllegalArgumentException when an address repeats
     */
    public List<Batch> plan(CampaignId campaign, int firstIndex, List<Address> recipients, Instant at) {
        Require.notNull("campaign", campaign);
        Require.notNull("recipients", recipients);
        if (new LinkedHashSet<>(recipients).size() != recipients.size()) {
            throw new IllegalArgumentException("recipients must not repeat an address");
        }
        List<Batch> batches = new ArrayList<>();
        for (int from = 0, index = firstIndex; from < recipients.size(); from += batchSize, index++) {
            List<Address> slice = recipients.subList(from, Math.min(from + batchSize, recipients.size()));
            batches.add(Batch.planned(ids.newBatchId(), campaign, index, slice, at));
        }
        return batches;
    }

    public int batchSize() {
        return batchSize;
    }
}
