package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.List;

/**
 * {@code stalled.lua}: the stalled-job check. Moves back to {@code wait} the active jobs that were suspect at the previous
 * check and have no lock, then marks every active job suspect.
 *
 * <pre>
 * KEYS: 1 stalled, 2 wait, 3 active, 4 stalled-check, 5 meta, 6 marker, 7 events
 * ARGV: 1 key prefix, 2 max stalled count, 3 now ms, 4 check interval ms, 5 events max length, 6 '1' to run even when
 *       another worker ran a check within the interval
 * reply: the ids moved back to wait
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class StalledScript {

    private static final LuaScript SCRIPT = LuaScript.load("stalled");

    private final List<String> keys;
    private final String prefix;
    private final RedisQueueSettings settings;

    StalledScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.stalled(), k.waitList(), k.active(), k.stalledCheck(), k.meta(), k.marker(), k.events());
        this.prefix = k.prefix();
        this.settings = settings;
    }

    /**
     * @param force run even when any worker ran a check within the last {@code stalledInterval}
     * @return the ids moved back to {@code wait}
     */
    List<String> run(ScriptRunner runner, long now, boolean force) {
        List<String> args = List.of(prefix, Integer.toString(settings.maxStalledCount()), Long.toString(now),
                Long.toString(settings.stalledInterval().toMillis()), Integer.toString(settings.maxLenEvents()),
                force ? "1" : "0");
        return Replies.texts(runner.run(SCRIPT, keys, args));
    }
}
