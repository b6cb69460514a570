package dev.basenft.adapter.redis;

import static dev.basenft.adapter.redis.Replies.intOr;
import static dev.basenft.adapter.redis.Replies.text;

import dev.basenft.adapter.redis.QueueConnection.ScriptRunner;
import dev.basenft.adapter.redis.internal.LuaScript;
import dev.basenft.adapter.redis.internal.QueueKeys;
import java.time.Duration;
import java.util.List;

/**
 * {@code take.lua}: one worker step that promotes due delayed jobs, then takes and locks the next job. Its reply,
 * {@code takeNext}'s, is also what {@code finish.lua} answers for a job it fetched ahead, so {@link #read} serves both.
 *
 * <pre>
 * KEYS: 1 wait, 2 active, 3 prioritized, 4 pc, 5 delayed, 6 marker, 7 meta, 8 events
 * ARGV: 1 key prefix, 2 lock token, 3 lock duration ms, 4 now ms, 5 events max length, 6 worker name ('' for none)
 * reply: {jobId, batchId, atm, attempts, backoffType, backoffDelay, backoffJitter, keepCompleted, keepFailed, defa}
 *        when a job was taken, else {'', next delayed due time ms or '-1'}
 * </pre>
 *
 * <p>Immutable and thread-safe. Arguments must not be null.
 */
final class TakeScript {

    private static final LuaScript SCRIPT = LuaScript.load("take", "lib/take_next");

    /** What a take step found. */
    sealed interface Next permits Taken, Nothing {
    }

    /**
     * A job now locked with {@code token}. Options the job's own data left out are the settings' values already.
     *
     * @param batchId the data's {@code batchId}, unchecked; empty when there is none
     * @param attemptsMade attempts used before this one
     * @param attempts as the job's options say (BullMQ's 0 means one)
     * @param mustFail why the job must fail without running (stalled too often), or empty
     */
    record Taken(String jobId, String token, String batchId, int attemptsMade, int attempts, Backoff backoff,
            int keepCompleted, int keepFailed, String mustFail) implements Next {
    }

    /** No job to take now. @param nextDue when the earliest delayed job falls due, in epoch ms, or -1 for none */
    record Nothing(long nextDue) implements Next {
    }

    /** The KEYS both this and {@code finish.lua} start with, in the order {@code takeNext} uses them. */
    static List<String> takeKeys(QueueKeys k) {
        return List.of(k.waitList(), k.active(), k.prioritized(), k.pc(), k.delayed(), k.marker(), k.meta(), k.events());
    }

    private final List<String> keys;
    private final String prefix;
    private final RedisQueueSettings settings;

    TakeScript(QueueKeys keys, RedisQueueSettings settings) {
        this.keys = takeKeys(keys);
        this.prefix = keys.prefix();
        this.settings = settings;
    }

    /** Takes the next job, locking it with {@code token}. */
    Next run(ScriptRunner runner, String token, long now) {
        List<String> args = List.of(prefix, token,
                Long.toString(settings.lockDuration().toMillis()), Long.toString(now),
                Integer.toString(settings.maxLenEvents()), settings.workerName());
        return read((List<?>) runner.run(SCRIPT, keys, args), token);
    }

    /** Reads a {@code takeNext} reply; a job's missing or unreadable options fall back to the settings. */
    Next read(List<?> reply, String token) {
        String jobId = text(reply.get(0));
        if (jobId.isEmpty()) {
            return new Nothing(Long.parseLong(text(reply.get(1))));
        }
        return new Taken(jobId, token, text(reply.get(1)),
                intOr(text(reply.get(2)), 0),
                intOr(text(reply.get(3)), settings.attempts()),
                backoff(text(reply.get(4)), text(reply.get(5)), text(reply.get(6))),
                intOr(text(reply.get(7)), settings.keepCompleted()),
                intOr(text(reply.get(8)), settings.keepFailed()),
                text(reply.get(9)));
    }

    private Backoff backoff(String type, String delay, String jitter) {
        Backoff fallback = settings.backoff();
        Backoff.Type parsed = switch (type) {
            case "fixed" -> Backoff.Type.FIXED;
            case "exponential" -> Backoff.Type.EXPONENTIAL;
            // Node's custom strategies cannot run here; their jobs back off as the settings say.
            default -> null;
        };
        if (parsed == null) {
            return fallback;
        }
        try {
            long millis = delay.isEmpty() ? 0 : Long.parseLong(delay);
            double j = jitter.isEmpty() ? 0 : Double.parseDouble(jitter);
            return new Backoff(parsed, Duration.ofMillis(millis), Math.max(0, Math.min(1, j)));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
