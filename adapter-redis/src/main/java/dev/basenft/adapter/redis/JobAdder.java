package dev.basenft.adapter.redis;

import dev.basenft.core.model.BatchRef;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds batches' jobs, each call in one round trip, and re-adds the jobs of open batches that have none.
 *
 * <p>Thread-safe. Arguments must not be null.
 */
final class JobAdder {

    /** Open batches per revive check. */
    static final int CHUNK = AddScript.CHUNK;

    private final InstantSource clock;
    private final QueueConnection connection;
    private final Duration retryBudget;
    private final JobJson json;
    private final AddScript add;
    private final ReviveScript revive;

    JobAdder(InstantSource clock, QueueConnection connection, Duration retryBudget, JobJson json, AddScript add,
            ReviveScript revive) {
        this.clock = clock;
        this.connection = connection;
        this.retryBudget = retryBudget;
        this.json = json;
        this.add = add;
        this.revive = revive;
    }

    /**
     * Adds the jobs of {@code batches} in one round trip (see {@link AddScript#run}), skipping those whose job exists.
     *
     * @param delay ms before the jobs may run; 0 for none
     * @return how many were added
     */
    int add(List<? extends BatchRef> batches, long delay) {
        // By batch index: each campaign's jobs get consecutive priorities in the order added (see add.lua), so the queue
        // hands out every campaign's first batch before any campaign's second, whatever order the caller lists them in
        // (ensureQueued's is by id).
        List<BatchRef> byIndex = new ArrayList<>(batches);
        byIndex.sort(Comparator.comparingInt(BatchRef::index));
        List<AddScript.NewJob> jobs = byIndex.stream().map(batch -> json.job(batch, delay)).toList();
        return add.run(connection, retryBudget, RedisDistributionQueue.JOB_NAME, clock.millis(), delay, jobs);
    }

    /** See {@link RedisDistributionQueue#ensureQueued}. */
    int ensureQueued(List<? extends BatchRef> openBatches) {
        int added = 0;
        for (int from = 0; from < openBatches.size(); from += CHUNK) {
            Map<String, BatchRef> byJob = new LinkedHashMap<>();
            for (BatchRef batch : openBatches.subList(from, Math.min(openBatches.size(), from + CHUNK))) {
                byJob.put(batch.jobId(), batch);
            }
            List<String> missing = revive.run(connection.retrying(retryBudget), new ArrayList<>(byJob.keySet()));
            added += add(missing.stream().map(byJob::get).toList(), 0);
        }
        return added;
    }
}
