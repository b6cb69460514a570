package dev.basenft.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final MutableClock clock = new MutableClock();
    private final CircuitBreaker breaker = new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.recordFailure();
        }
    }

    @Test
    void usesTheSpecDefaults() {
        assertThat(CircuitBreakerConfig.DEFAULTS.failureThreshold()).isEqualTo(5);
        assertThat(CircuitBreakerConfig.DEFAULTS.cooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(CircuitBreakerConfig.builder().build()).isEqualTo(CircuitBreakerConfig.DEFAULTS);
    }

    @Test
    void letsCallsThroughWhileClosed() {
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.tryAcquire().granted()).isTrue();
        assertThat(breaker.tryAcquire().retryAfter()).isZero();
    }

    @Test
    void opensOnTheFifthConsecutiveFailure() {
        fail(4);
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.tryAcquire().granted()).isTrue();

        assertThat(breaker.recordFailure()).as("the fifth failure opens it").isTrue();

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.recordFailure()).as("already open: no new opening").isFalse();
    }

    @Test
    void refusesCallsWhileOpenSayingHowLongToWait() {
        fail(5);
        clock.advance(Duration.ofSeconds(10));

        CircuitBreaker.Permission permission = breaker.tryAcquire();

        assertThat(permission.granted()).isFalse();
        assertThat(permission.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(19));
        assertThat(breaker.tryAcquire().granted()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void turnsHalfOpenAfterTheCooldownAndGrantsExactlyOneTrial() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));

        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.tryAcquire().granted()).isTrue();
        CircuitBreaker.Permission second = breaker.tryAcquire();
        assertThat(second.granted()).isFalse();
        assertThat(second.retryAfter()).isPositive();
    }

    @Test
    void closesWhenTheTrialSucceeds() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        breaker.tryAcquire();

        breaker.recordSuccess();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.tryAcquire().granted()).isTrue();
        fail(4);
        assertThat(breaker.state()).as("the count starts again from zero").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void reopensForAFullCooldownWhenTheTrialFails() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        breaker.tryAcquire();

        assertThat(breaker.recordFailure()).isTrue();

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.tryAcquire().retryAfter()).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire().granted()).isTrue();
    }

    @Test
    void aSuccessResetsTheConsecutiveFailureCount() {
        fail(4);
        breaker.recordSuccess();
        fail(4);

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        fail(1);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aReleasedTrialGoesToTheNextCaller() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire().granted()).isTrue();

        breaker.releaseTrial();

        assertThat(breaker.tryAcquire().granted()).isTrue();
        assertThat(breaker.tryAcquire().granted()).isFalse();
    }

    @Test
    void honoursConfiguredThresholdAndCooldown() {
        CircuitBreaker custom = new CircuitBreaker(
                CircuitBreakerConfig.builder().failureThreshold(2).cooldown(Duration.ofSeconds(5)).build(), clock);

        custom.recordFailure();
        assertThat(custom.state()).isEqualTo(CircuitState.CLOSED);
        custom.recordFailure();
        assertThat(custom.state()).isEqualTo(CircuitState.OPEN);
        clock.advance(Duration.ofSeconds(5));
        assertThat(custom.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureThreshold(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failureThreshold must be at least 1, got 0");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().cooldown(Duration.ZERO).build())
                .hasMessageStartingWith("cooldown must be a positive duration");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().cooldown(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("cooldown must be a positive duration");
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().cooldown(null).build())
                .hasMessageStartingWith("cooldown must be a positive duration");
        assertThatThrownBy(() -> new CircuitBreaker(null, clock)).hasMessageContaining("config");
        assertThatThrownBy(() -> new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, null)).hasMessageContaining("time");
    }

    @Test
    void grantsOneTrialToSixteenRacingCallers() throws Exception {
        for (int round = 0; round < 20; round++) {
            fail(5);
            clock.advance(Duration.ofSeconds(30));

            List<Boolean> granted = race(16, breaker::tryAcquire);

            assertThat(granted).as("round " + round).containsOnlyOnce(true);
            breaker.recordFailure();
        }
    }

    private static List<Boolean> race(int threads, Callable<CircuitBreaker.Permission> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call().granted();
                }));
            }
            start.countDown();
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tellsItsListenerOfEveryChangeOfStateOnce() {
        java.util.List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CircuitBreaker observed = new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock,
                (from, to) -> changes.add(from + "->" + to));
        for (int i = 0; i < 6; i++) {
            observed.recordFailure();
        }
        clock.advance(CircuitBreakerConfig.DEFAULTS.cooldown());
        assertThat(observed.tryAcquire().granted()).isTrue();
        observed.state();
        observed.recordFailure();
        clock.advance(CircuitBreakerConfig.DEFAULTS.cooldown());
        observed.state();
        observed.recordSuccess();

        assertThat(changes).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN",
                "HALF_OPEN->CLOSED");
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheBreaker() {
        CircuitBreaker observed = new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock, (from, to) -> {
            throw new IllegalStateException("metrics down");
        });
        for (int i = 0; i < 5; i++) {
            observed.recordFailure();
        }

        assertThat(observed.state()).isEqualTo(CircuitState.OPEN);
    }
}
