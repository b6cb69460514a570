package dev.basenft.adapter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.basenft.adapter.redis.RedisQueueSettings;
import dev.basenft.adapter.redis.TestRedis;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Many threads through one batcher: each call runs once and gets its own reply. On the tests' Redis ({@link TestRedis}). */
class ScriptBatcherTest {

    private static RedisClient client() {
        RedisQueueSettings s = TestRedis.base();
        return RedisClient.builder().hostAndPort(s.host(), s.port()).clientConfig(DefaultJedisClientConfig.builder()
                .database(s.database()).user(s.username().isEmpty() ? null : s.username())
                .password(s.password().isEmpty() ? null : s.password()).build()).build();
    }

    @Test
    void everyCallRunsOnceAndGetsItsOwnReply() throws Exception {
        LuaScript echo = LuaScript.load("test_echo");
        String counter = "bnt-batcher-" + UUID.randomUUID();
        try (RedisClient redis = client()) {
            ScriptBatcher batcher = new ScriptBatcher(redis, 16, 2);
            ExecutorService pool = Executors.newFixedThreadPool(32);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            try {
                for (int t = 0; t < 32; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<String> replies = new ArrayList<>();
                        for (int i = 0; i < 200; i++) {
                            replies.add((String) batcher.run(echo, List.of(counter), List.of(thread + "-" + i)));
                        }
                        return replies;
                    }));
                }
                start.countDown();
                for (int t = 0; t < 32; t++) {
                    List<String> replies = results.get(t).get(60, TimeUnit.SECONDS);
                    int thread = t;
                    assertThat(replies).hasSize(200)
                            .allSatisfy(r -> assertThat(r).startsWith(thread + "-"))
                            .isEqualTo(java.util.stream.IntStream.range(0, 200).mapToObj(i -> thread + "-" + i).toList());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(redis.get(counter)).isEqualTo(Integer.toString(32 * 200));
            redis.del(counter);
        }
    }

    @Test
    void passesOnAConnectionFailureToTheCaller() {
        try (RedisClient nowhere = RedisClient.create("127.0.0.1", 1)) {
            ScriptBatcher batcher = new ScriptBatcher(nowhere, 16, 2);
            assertThatThrownBy(() -> batcher.run(LuaScript.load("test_echo"), List.of("k"), List.of("v")))
                    .isInstanceOf(JedisConnectionException.class);
        }
    }
}
