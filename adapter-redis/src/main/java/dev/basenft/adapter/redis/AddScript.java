package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code add.lua}: adds jobs in BullMQ's layout; a job id whose hash exists is left alone (a {@code duplicated} event).
 *
 * <pre>
 * KEYS: 1 wait, 2 meta, 3 delayed, 4 marker, 5 events
 * ARGV: 1 key prefix, 2 job name, 3 timestamp ms, 4 delay ms, 5 events max length,
 *       then one (jobId, data, opts) triple per job from 6 on
 * reply: the number of jobs added
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class AddScript {

    private static final LuaScript SCRIPT = LuaScript.load("add");

    /** A job to add: its id, data and options, both JSON (see {@link JobJson}). */
    record NewJob(String id, String data, String options) {
    }

    private final List<String> keys;
    private final String prefix;
    private final String maxLenEvents;

    AddScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.waitList(), k.meta(), k.delayed(), k.marker(), k.events());
        this.prefix = k.prefix();
        this.maxLenEvents = Integer.toString(settings.maxLenEvents());
    }

    /**
     * @param delay ms before the jobs may run; 0 for none
     * @return how many were added
     */
    int run(ScriptRunner runner, String jobName, long now, long delay, List<NewJob> jobs) {
        List<String> args = new ArrayList<>(5 + 3 * jobs.size());
        args.add(prefix);
        args.add(jobName);
        args.add(Long.toString(now));
        args.add(Long.toString(delay));
        args.add(maxLenEvents);
        for (NewJob job : jobs) {
            args.add(job.id());
            args.add(job.data());
            args.add(job.options());
        }
        return (int) Replies.number(runner.run(SCRIPT, keys, args));
    }
}
