package dev.basenft.core.breaker;

import dev.basenft.core.model.Require;
import java.time.Duration;

/**
 * Settings of a {@link CircuitBreaker}: how many consecutive failures open it and how long it stays open. Immutable and
 * thread-safe; build one with {@link #builder()}.
 *
 * @param failureThreshold consecutive failures that open the breaker, 1 or more (default 5)
 * @param cooldown how long an open breaker refuses calls before letting one through, positive (default 30 s)
 */
public record CircuitBreakerConfig(int failureThreshold, Duration cooldown) {

    /** The defaults (docs/architecture.md#the-worker): 5 failures, 30 seconds. */
    public static final CircuitBreakerConfig DEFAULTS = new CircuitBreakerConfig(5, Duration.ofSeconds(30));

    public CircuitBreakerConfig {
        Require.atLeast("failureThreshold", failureThreshold, 1);
        Require.positive("cooldown", cooldown);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CircuitBreakerConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int failureThreshold = DEFAULTS.failureThreshold();
        private Duration cooldown = DEFAULTS.cooldown();

        private Builder() {
        }

        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
            return this;
        }

        public Builder cooldown(Duration cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(failureThreshold, cooldown);
        }
    }
}
