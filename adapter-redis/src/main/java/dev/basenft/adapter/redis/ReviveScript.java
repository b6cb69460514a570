package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code revive.lua}: which of the given jobs has no live job (missing, or finished while its batch stayed open); finished
 * ones are deleted so they can be added afresh under the same id.
 *
 * <pre>
 * KEYS: 1 completed, 2 failed, 3 events
 * ARGV: 1 key prefix, 2 events max length, then job ids from 3 on
 * reply: the ids that now have no job
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class ReviveScript {

    private static final LuaScript SCRIPT = LuaScript.load("revive");

    private final List<String> keys;
    private final String prefix;
    private final String maxLenEvents;

    ReviveScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.completed(), k.failed(), k.events());
        this.prefix = k.prefix();
        this.maxLenEvents = Integer.toString(settings.maxLenEvents());
    }

    /** @return those of {@code jobIds} that have no job now */
    List<String> run(ScriptRunner runner, List<String> jobIds) {
        List<String> args = new ArrayList<>(2 + jobIds.size());
        args.add(prefix);
        args.add(maxLenEvents);
        args.addAll(jobIds);
        return Replies.texts(runner.run(SCRIPT, keys, args));
    }
}
