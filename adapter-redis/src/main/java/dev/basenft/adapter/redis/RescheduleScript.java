package dev.basenft.adapter.redis;

import static dev.basenft.adapter.redis.Replies.number;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.List;
import java.util.Optional;

/**
 * {@code reschedule.lua}: puts a taken job back for later if the caller still holds its lock, using an attempt (a retry
 * with backoff) or not (a plain delay).
 *
 * <pre>
 * KEYS: 1 active, 2 delayed, 3 wait, 4 prioritized, 5 pc, 6 marker, 7 meta, 8 events, 9 stalled
 * ARGV: 1 key prefix, 2 jobId, 3 lock token, 4 now ms, 5 due time ms, 6 '1' to use an attempt, 7 failed reason,
 *       8 stack trace (JSON array), 9 events max length
 * reply: 0 done, else a {@link Refusal}
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class RescheduleScript {

    private static final LuaScript SCRIPT = LuaScript.load("reschedule");
    private static final String NO_STACKTRACE = "[]";

    /**
     * @param due when the job runs again, epoch ms; now or earlier makes it waiting at once
     * @param useAttempt whether this counts as a failed attempt
     * @param reason the failure, kept as {@code failedReason} when an attempt is used; may be empty
     */
    record Request(String jobId, String token, long now, long due, boolean useAttempt, String reason) {
    }

    private final List<String> keys;
    private final String prefix;
    private final String maxLenEvents;

    RescheduleScript(QueueKeys k, RedisQueueSettings settings) {
        this.keys = List.of(k.active(), k.delayed(), k.waitList(), k.prioritized(), k.pc(), k.marker(), k.meta(),
                k.events(), k.stalled());
        this.prefix = k.prefix();
        this.maxLenEvents = Integer.toString(settings.maxLenEvents());
    }

    /** @return empty when the job was put back, else why not */
    Optional<Refusal> run(ScriptRunner runner, Request r) {
        List<String> args = List.of(prefix, r.jobId(), r.token(), Long.toString(r.now()), Long.toString(r.due()),
                r.useAttempt() ? "1" : "0", r.reason(), NO_STACKTRACE, maxLenEvents);
        return Refusal.of(number(runner.run(SCRIPT, keys, args)), r.jobId());
    }
}
