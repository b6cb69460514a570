package dev.basenft.adapter.redis;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.List;

/**
 * {@code pause.lua}: pauses or resumes the queue the BullMQ 6.x way ({@code meta.paused}; jobs stay in {@code wait}).
 *
 * <pre>
 * KEYS: 1 meta, 2 marker, 3 events, 4 wait, 5 paused, 6 delayed, 7 prioritized
 * ARGV: 1 'pause' or 'resume', 2 events max length
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class PauseScript {

    private static final LuaScript SCRIPT = LuaScript.load("pause");

    private final List<String> keys;
    private final String maxLenEvents;

    PauseScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.meta(), k.marker(), k.events(), k.waitList(), k.paused(), k.delayed(), k.prioritized());
        this.maxLenEvents = Integer.toString(settings.maxLenEvents());
    }

    /** @param paused true to pause, false to resume */
    void run(ScriptRunner runner, boolean paused) {
        runner.run(SCRIPT, keys, List.of(paused ? "pause" : "resume", maxLenEvents));
    }
}
