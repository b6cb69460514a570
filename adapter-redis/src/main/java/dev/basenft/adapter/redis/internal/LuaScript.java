package dev.basenft.adapter.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One of the adapter's Lua scripts, read from the classpath and run by its SHA-1 ({@code EVALSHA}). When Redis does not
 * know the script — first use, or after a restart or {@code SCRIPT FLUSH} — it is sent once in full ({@code EVAL}), which
 * also caches it. Immutable and thread-safe.
 *
 * <p>Internal to the adapter: not an API.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /**
     * Loads {@code dev/basenft/adapter/redis/lua/<name>.lua}, after the shared pieces it needs ({@code libs}, such as
     * {@code lib/take_next}): Redis scripts cannot include one another, so shared functions are prepended.
     *
     * @throws IllegalStateException when a resource is missing (a packaging error)
     */
    public static LuaScript load(String name, String... libs) {
        StringBuilder source = new StringBuilder();
        for (String lib : libs) {
            source.append(read(lib)).append('\n');
        }
        return new LuaScript(name, source.append(read(name)).toString());
    }

    private static String read(String name) {
        String path = "/dev/basenft/adapter/redis/lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script missing from the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** The script's SHA-1, for {@code EVALSHA} in a pipeline. */
    public String sha() {
        return sha;
    }

    /** The script's name, for messages. */
    public String name() {
        return name;
    }

    /**
     * Runs the script atomically.
     *
     * @param redis not null
     * @param keys the script's KEYS; not null
     * @param args the script's ARGV; not null
     * @return the script's reply as Jedis decodes it (Long, String, List)
     */
    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(source, keys, args);
        }
    }

    /**
     * Runs the script once per entry of {@code argsPerRun}, all in one pipeline: one round trip however many runs. Each
     * run is atomic on its own; the whole is not. When Redis does not know the script, the runs it refused are sent
     * again in full, in one more pipeline.
     *
     * @param redis not null
     * @param keys the KEYS of every run; not null
     * @param argsPerRun the ARGV of each run; not null, no null elements
     * @return each run's reply, in order
     */
    public List<Object> runAll(RedisClient redis, List<String> keys, List<List<String>> argsPerRun) {
        List<Response<Object>> replies = new ArrayList<>(argsPerRun.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (List<String> args : argsPerRun) {
                replies.add(pipeline.evalsha(sha, keys, args));
            }
            pipeline.sync();
        }
        List<Object> out = new ArrayList<>(argsPerRun.size());
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            try {
                out.add(replies.get(i).get());
            } catch (JedisNoScriptException e) {
                out.add(null);
                refused.add(i);
            }
        }
        if (!refused.isEmpty()) {
            List<Response<Object>> again = new ArrayList<>(refused.size());
            try (Pipeline pipeline = redis.pipelined()) {
                for (int i : refused) {
                    again.add(pipeline.eval(source, keys, argsPerRun.get(i)));
                }
                pipeline.sync();
            }
            for (int j = 0; j < refused.size(); j++) {
                out.set(refused.get(j), again.get(j).get());
            }
        }
        return out;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
