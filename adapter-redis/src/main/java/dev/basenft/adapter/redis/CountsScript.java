package dev.basenft.adapter.redis;

import static dev.basenft.adapter.redis.Replies.number;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.List;

/**
 * {@code counts.lua}: the number of jobs in each state, read in one atomic step.
 *
 * <pre>
 * KEYS: 1 wait, 2 paused, 3 active, 4 delayed, 5 prioritized, 6 completed, 7 failed, 8 meta
 * reply: {waiting, active, delayed, prioritized, completed, failed, paused (1 or 0)}
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class CountsScript {

    private static final LuaScript SCRIPT = LuaScript.load("counts");
    private static final long PAUSED = 1;

    private final List<String> keys;

    CountsScript(QueueKeys k) {
        this.keys = List.of(k.waitList(), k.paused(), k.active(), k.delayed(), k.prioritized(), k.completed(),
                k.failed(), k.meta());
    }

    QueueCounts run(ScriptRunner runner) {
        List<?> reply = (List<?>) runner.run(SCRIPT, keys, List.of());
        return new QueueCounts(number(reply.get(0)), number(reply.get(1)), number(reply.get(2)), number(reply.get(3)),
                number(reply.get(4)), number(reply.get(5)), number(reply.get(6)) == PAUSED);
    }
}
