/**
 * The circuit breaker that stops hammering an unreachable chain (docs/architecture.md#the-worker): a pure, thread-safe
 * state machine with injected time.
 */
package dev.basenft.core.breaker;
