package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code add.lua}: adds jobs in BullMQ's layout; a job id whose hash exists is left alone (a {@code duplicated} event).
 *
 * <pre>
 * KEYS: 1 wait, 2 meta, 3 delayed, 4 marker, 5 events, 6 prioritized, 7 pc, 8 active, 9 campaign priorities
 * ARGV: 1 key prefix, 2 job name, 3 timestamp ms, 4 delay ms, 5 events max length,
 *       then one (jobId, data, opts, campaign) quadruple per job from 6 on, each campaign's in batch index order
 * reply: the number of jobs added
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class AddScript {

    private static final LuaScript SCRIPT = LuaScript.load("add");
    /** Jobs per script run: big enough to amortise the per-run overhead, small enough not to stall Redis (about 1 ms). */
    static final int CHUNK = 1000;
    /** The hash, under the queue's prefix, of each campaign's last priority (see add.lua). Not a BullMQ key. */
    static final String CAMPAIGN_PRIORITIES = "basenft:campaign-priority";

    /**
     * A job to add: its id, data and options, both JSON (see {@link JobJson}), and its campaign, whose jobs get
     * consecutive priorities in the order they are added (see add.lua).
     */
    record NewJob(String id, String data, String options, String campaign) {
    }

    private final List<String> keys;
    private final String prefix;
    private final String maxLenEvents;

    AddScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.waitList(), k.meta(), k.delayed(), k.marker(), k.events(), k.prioritized(), k.pc(),
                k.active(), k.prefix() + CAMPAIGN_PRIORITIES);
        this.prefix = k.prefix();
        this.maxLenEvents = Integer.toString(settings.maxLenEvents());
    }

    /**
     * Adds {@code jobs}, {@link #CHUNK} per script run so no run stalls Redis, all runs in one pipeline: one round
     * trip.
     *
     * @param delay ms before the jobs may run; 0 for none
     * @return how many were added
     */
    int run(QueueConnection connection, Duration retryBudget, String jobName, long now, long delay, List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return 0;
        }
        List<List<String>> runs = new ArrayList<>();
        for (int from = 0; from < jobs.size(); from += CHUNK) {
            List<NewJob> chunk = jobs.subList(from, Math.min(jobs.size(), from + CHUNK));
            List<String> args = new ArrayList<>(5 + 4 * chunk.size());
            args.add(prefix);
            args.add(jobName);
            args.add(Long.toString(now));
            args.add(Long.toString(delay));
            args.add(maxLenEvents);
            for (NewJob job : chunk) {
                args.add(job.id());
                args.add(job.data());
                args.add(job.options());
                args.add(job.campaign());
            }
            runs.add(args);
        }
        int added = 0;
        for (Object reply : connection.runAllRetrying(retryBudget, SCRIPT, keys, runs)) {
            added += (int) Replies.number(reply);
        }
        return added;
    }
}
