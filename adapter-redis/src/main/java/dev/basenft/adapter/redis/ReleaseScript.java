package dev.basenft.adapter.redis;

import static dev.basenft.adapter.redis.Replies.number;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.List;

/**
 * {@code release.lua}: gives back a job this worker took but will not run (fetched ahead while closing), as if it had
 * never been taken.
 *
 * <pre>
 * KEYS: 1 wait, 2 active, 3 marker, 4 meta, 5 events
 * ARGV: 1 key prefix, 2 jobId, 3 lock token, 4 events max length
 * reply: 1 given back, 0 the lock was no longer this worker's (nothing changed)
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class ReleaseScript {

    private static final LuaScript SCRIPT = LuaScript.load("release");
    private static final long GIVEN_BACK = 1;

    private final List<String> keys;
    private final String prefix;
    private final String maxLenEvents;

    ReleaseScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.waitList(), k.active(), k.marker(), k.meta(), k.events());
        this.prefix = k.prefix();
        this.maxLenEvents = Integer.toString(settings.maxLenEvents());
    }

    /** @return whether the job went back to {@code wait} */
    boolean run(ScriptRunner runner, String jobId, String token) {
        return number(runner.run(SCRIPT, keys, List.of(prefix, jobId, token, maxLenEvents))) == GIVEN_BACK;
    }
}
