package dev.basenft.adapter.redis.internal;

import dev.basenft.core.model.Require;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs scripts for many threads in few round trips: calls made while other threads are sending wait in line, and the
 * senders send them as pipelines (flat combining). One caller alone runs its script directly, so a single worker pays
 * nothing; fifty pay one write and one read per batch instead of fifty of each, in Java and in Redis alike — what a single
 * multiplexed connection gives Node's bullmq. A few senders may be in flight at once, so Java reads one batch's replies
 * while Redis runs the next. Each script still runs atomically on its own.
 *
 * <p>Thread-safe. Internal to the adapter: not an API.
 */
public final class ScriptBatcher {

    private final RedisClient redis;
    private final int maxBatch;
    private final int maxSenders;
    private final Queue<Call> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger senders = new AtomicInteger();

    /**
     * @param redis the pooled client; not null
     * @param maxBatch most calls per pipeline, 1 or more
     * @param maxSenders most pipelines in flight at once, 1 or more
     */
    public ScriptBatcher(RedisClient redis, int maxBatch, int maxSenders) {
        this.redis = Require.notNull("redis", redis);
        this.maxBatch = Require.atLeast("maxBatch", maxBatch, 1);
        this.maxSenders = Require.atLeast("maxSenders", maxSenders, 1);
    }

    /**
     * Runs {@code script}, alone or in a pipeline with other threads' calls, and returns its reply.
     *
     * @throws RuntimeException what running the script threw (a {@code JedisConnectionException} when Redis is unreachable)
     */
    public Object run(LuaScript script, List<String> keys, List<String> args) {
        Call call = new Call(script, keys, args, new CompletableFuture<>());
        pending.add(call);
        // Whoever finds a sender's place free sends for everyone; every sender looks again after stepping down, so a call
        // queued while all places were taken is never left behind.
        do {
            int now = senders.get();
            if (now >= maxSenders) {
                break;
            }
            if (!senders.compareAndSet(now, now + 1)) {
                continue;
            }
            try {
                sendPending();
            } finally {
                senders.decrementAndGet();
            }
        } while (!pending.isEmpty());
        try {
            return call.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void sendPending() {
        List<Call> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            Call next;
            while (batch.size() < maxBatch && (next = pending.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                return;
            }
            if (batch.size() == 1) {
                runAlone(batch.getFirst());
            } else {
                runPipelined(batch);
            }
        }
    }

    private void runAlone(Call call) {
        try {
            call.result.complete(call.script.run(redis, call.keys, call.args));
        } catch (RuntimeException e) {
            call.result.completeExceptionally(e);
        }
    }

    private void runPipelined(List<Call> batch) {
        List<Response<Object>> replies = new ArrayList<>(batch.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (Call call : batch) {
                replies.add(pipeline.evalsha(call.script.sha(), call.keys, call.args));
            }
            pipeline.sync();
        } catch (RuntimeException e) {
            for (Call call : batch) {
                call.result.completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Call call = batch.get(i);
            try {
                call.result.complete(replies.get(i).get());
            } catch (JedisNoScriptException e) {
                // Redis lost its script cache (a restart): this one did not run, so send it in full.
                runAlone(call);
            } catch (RuntimeException e) {
                call.result.completeExceptionally(e);
            }
        }
    }

    private record Call(LuaScript script, List<String> keys, List<String> args, CompletableFuture<Object> result) {
    }
}
