package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code extend.lua}: renews the locks of jobs this worker still holds, and leaves alone one whose token changed (taken over
 * after it lapsed).
 *
 * <pre>
 * KEYS: 1 stalled
 * ARGV: 1 key prefix, 2 lock duration ms, then (jobId, token) pairs from 3 on
 * reply: the ids whose lock was lost
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class ExtendScript {

    private static final LuaScript SCRIPT = LuaScript.load("extend");

    private final List<String> keys;
    private final String prefix;
    private final String lockMillis;

    ExtendScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.stalled());
        this.prefix = k.prefix();
        this.lockMillis = Long.toString(settings.lockDuration().toMillis());
    }

    /**
     * @param tokens lock tokens by job id
     * @return the ids whose lock is no longer this worker's
     */
    List<String> run(ScriptRunner runner, Map<String, String> tokens) {
        List<String> args = new ArrayList<>(2 + 2 * tokens.size());
        args.add(prefix);
        args.add(lockMillis);
        tokens.forEach((jobId, token) -> {
            args.add(jobId);
            args.add(token);
        });
        return Replies.texts(runner.run(SCRIPT, keys, args));
    }
}
