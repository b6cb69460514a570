package dev.basenft.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisQueueSettingsTest {

    @Test
    void defaultsAreBullMqsAndTheRunbooks() {
        RedisQueueSettings s = RedisQueueSettings.builder().build();

        assertThat(s.keyPrefix()).isEqualTo("bull:distribution:");
        assertThat(s.attempts()).isEqualTo(3);
        assertThat(s.lockDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.stalledInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxStalledCount()).isEqualTo(1);
        assertThat(s.keepCompleted()).isEqualTo(10_000);
        assertThat(s.keepFailed()).isEqualTo(10_000);
        assertThat(s.maxLenEvents()).isEqualTo(10_000);
        assertThat(s.drainDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.fetchNext()).isTrue();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(6379);
    }

    @Test
    void stalledCheckRunsAsOftenAsALockLastsUnlessSetApart() {
        RedisQueueSettings following = RedisQueueSettings.builder().lockDuration(Duration.ofSeconds(5)).build();
        RedisQueueSettings apart = RedisQueueSettings.builder().lockDuration(Duration.ofSeconds(5))
                .stalledInterval(Duration.ofSeconds(2)).build();

        assertThat(following.stalledInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(apart.stalledInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(apart.toBuilder().lockDuration(Duration.ofSeconds(9)).build().stalledInterval())
                .as("an interval set apart stays apart").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readsARedisUrl() {
        RedisQueueSettings s = RedisQueueSettings.builder().url("rediss://worker:p%40ss@redis.internal:6380/4").build();

        assertThat(s.host()).isEqualTo("redis.internal");
        assertThat(s.port()).isEqualTo(6380);
        assertThat(s.database()).isEqualTo(4);
        assertThat(s.username()).isEqualTo("worker");
        assertThat(s.password()).isEqualTo("p@ss");
        assertThat(s.ssl()).isTrue();
        assertThat(RedisQueueSettings.builder().url("redis://:secret@h").build())
                .satisfies(t -> assertThat(t.password()).isEqualTo("secret"))
                .satisfies(t -> assertThat(t.port()).isEqualTo(6379));
    }

    @Test
    void neverShowsThePassword() {
        RedisQueueSettings s = RedisQueueSettings.builder().url("redis://u:hunter2@h:1/0").build();

        assertThat(s.toString()).doesNotContain("hunter2").contains("password set");
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> RedisQueueSettings.builder().url("http://h").build()).hasMessageContaining("url");
        assertThatThrownBy(() -> RedisQueueSettings.builder().url("redis://h/x").build()).hasMessageContaining("database");
        assertThatThrownBy(() -> RedisQueueSettings.builder().port(0).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> RedisQueueSettings.builder().queueName("a:b").build()).hasMessageContaining("queueName");
        assertThatThrownBy(() -> RedisQueueSettings.builder().prefix(" ").build()).hasMessageContaining("prefix");
        assertThatThrownBy(() -> RedisQueueSettings.builder().attempts(0).build()).hasMessageContaining("attempts");
        assertThatThrownBy(() -> RedisQueueSettings.builder().lockDuration(Duration.ofMillis(5)).build())
                .hasMessageContaining("lockDuration");
        assertThatThrownBy(() -> RedisQueueSettings.builder().drainDelay(Duration.ofSeconds(11)).build())
                .hasMessageContaining("drainDelay");
        assertThatThrownBy(() -> RedisQueueSettings.builder().keepCompleted(-1).build())
                .hasMessageContaining("keepCompleted");
        assertThatThrownBy(() -> RedisQueueSettings.builder().backoff(null).build()).hasMessageContaining("backoff");
        assertThatThrownBy(() -> RedisQueueSettings.builder().concurrency(0).build()).hasMessageContaining("concurrency");
    }

    @Test
    void backsOffAsBullMqDoes() {
        Backoff fixed = Backoff.fixed(Duration.ofMillis(1000));
        Backoff exponential = Backoff.exponential(Duration.ofMillis(1000));

        assertThat(fixed.delayMillis(1, () -> 0.5)).isEqualTo(1000);
        assertThat(fixed.delayMillis(5, () -> 0.5)).isEqualTo(1000);
        assertThat(exponential.delayMillis(1, () -> 0.5)).isEqualTo(1000);
        assertThat(exponential.delayMillis(2, () -> 0.5)).isEqualTo(2000);
        assertThat(exponential.delayMillis(3, () -> 0.5)).isEqualTo(4000);
        // Jitter 0.5 spreads a 4 s wait over [2 s, 4 s).
        assertThat(exponential.withJitter(0.5).delayMillis(3, () -> 0.0)).isEqualTo(2000);
        assertThat(exponential.withJitter(0.5).delayMillis(3, () -> 0.999)).isEqualTo(3998);
        assertThatThrownBy(() -> exponential.delayMillis(0, () -> 0)).hasMessageContaining("attemptsMade");
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1))).hasMessageContaining("delay");
        assertThatThrownBy(() -> fixed.withJitter(1.5)).hasMessageContaining("jitter");
    }
}
