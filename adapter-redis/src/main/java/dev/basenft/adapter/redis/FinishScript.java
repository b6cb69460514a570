package dev.basenft.adapter.redis;

import static dev.basenft.adapter.redis.Replies.number;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code finish.lua}: completes or fails a taken job if the caller still holds its lock, and may take the next job in the
 * same step (BullMQ's "fetch next").
 *
 * <pre>
 * KEYS: 1-8 as take.lua, 9 target set (completed or failed)
 * ARGV: 1 key prefix, 2 jobId, 3 lock token, 4 now ms, 5 'completed' or 'failed', 6 return value (JSON) or failed reason,
 *       7 keep: -1 all, 0 none, N newest N, 8 events max length, 9 '1' when attempts ran out, 10 stack trace (JSON array),
 *       11 '1' to take the next job, 12 its lock token, 13 lock duration ms, 14 worker name ('' for none)
 * reply: {code} or {0, takeNext's reply}; code 0 settled, else a {@link Refusal}
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class FinishScript {

    private static final LuaScript SCRIPT = LuaScript.load("finish", "lib/take_next");
    /** Stack traces are Node's; a Java failure sends none. */
    private static final String NO_STACKTRACE = "[]";

    /** Where a finished job goes, with the word the script and BullMQ use. */
    enum Target {
        COMPLETED("completed"), FAILED("failed");

        private final String state;

        Target(String state) {
            this.state = state;
        }
    }

    /**
     * One finish.
     *
     * @param value for {@code COMPLETED} the return value as JSON, for {@code FAILED} the reason
     * @param keep how many finished jobs the target set keeps: -1 all, 0 none, N the newest N
     * @param exhausted whether the job fails because its attempts ran out (BullMQ's {@code retries-exhausted} event)
     * @param nextToken the lock token for a job to take ahead, or empty to take none
     */
    record Request(String jobId, String token, long now, Target target, String value, int keep, boolean exhausted,
            Optional<String> nextToken) {
    }

    /** @param next the job taken ahead, when one was asked for and there was one */
    record Reply(Optional<Refusal> refusal, Optional<TakeScript.Taken> next) {
    }

    private final List<String> completeKeys;
    private final List<String> failKeys;
    private final String prefix;
    private final RedisQueueSettings settings;
    private final TakeScript take;

    FinishScript(QueueKeys keys, RedisQueueSettings settings, TakeScript take) {
        this.completeKeys = withTarget(keys, keys.completed());
        this.failKeys = withTarget(keys, keys.failed());
        this.prefix = keys.prefix();
        this.settings = settings;
        this.take = take;
    }

    private static List<String> withTarget(QueueKeys keys, String target) {
        List<String> all = new ArrayList<>(TakeScript.takeKeys(keys));
        all.add(target);
        return List.copyOf(all);
    }

    Reply run(ScriptRunner runner, Request r) {
        List<String> args = List.of(prefix, r.jobId(), r.token(), Long.toString(r.now()), r.target().state, r.value(),
                Integer.toString(r.keep()), Integer.toString(settings.maxLenEvents()), r.exhausted() ? "1" : "0",
                NO_STACKTRACE, r.nextToken().isPresent() ? "1" : "0", r.nextToken().orElse(""),
                Long.toString(settings.lockDuration().toMillis()), settings.workerName());
        List<?> reply = (List<?>) runner.run(SCRIPT, r.target() == Target.COMPLETED ? completeKeys : failKeys, args);
        Optional<Refusal> refusal = Refusal.of(number(reply.get(0)), r.jobId());
        if (reply.size() < 2) {
            return new Reply(refusal, Optional.empty());
        }
        // finish.lua answers a next job only when one was taken, so this reads as Taken.
        TakeScript.Next next = take.read((List<?>) reply.get(1), r.nextToken().orElseThrow());
        return new Reply(refusal, next instanceof TakeScript.Taken taken ? Optional.of(taken) : Optional.empty());
    }
}
