package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * The blocking wait for a marker on a Redis before 7: the binary embedded-redis ships (6.2), not the machine's Redis 7,
 * because only the older server reads a 1 ms BZPOPMIN timeout as "block forever". A worker's take asks for such short
 * waits whenever its time is nearly up, so on Redis 6.2 every idle worker logged Redis as unreachable every 10 s.
 */
class OlderRedisBlockingWaitTest {

    private RedisServer redis;
    private int port;

    @BeforeEach
    void startRedis() throws IOException {
        port = TestRedis.freePort();
        redis = new RedisServer(port);
        redis.start();
    }

    @AfterEach
    void stopRedis() throws IOException {
        redis.stop();
    }

    @Test
    void aWaitOfAMillisecondReturnsAtOnceInsteadOfBlockingUntilTheSocketTimesOut() throws Exception {
        RedisQueueSettings settings = RedisQueueSettings.builder().host("127.0.0.1").port(port)
                .drainDelay(Duration.ofMillis(500)).commandTimeout(Duration.ofSeconds(2)).build();
        QueueConnection connection = new QueueConnection(settings, "bull:older-redis:");
        try {
            assertThat(connection.commands().info("server")).as("the embedded server is a Redis before 7")
                    .contains("redis_version:6.");
            for (long millis : new long[] {0, 1, 2}) {
                long t0 = System.nanoTime();
                assertThatCode(() -> connection.awaitMarker("bull:older-redis:marker", millis, () -> false))
                        .as("a wait of %d ms", millis).doesNotThrowAnyException();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a wait of %d ms", millis)
                        .isLessThan(Duration.ofSeconds(1));
            }
        } finally {
            connection.close();
        }
    }
}
