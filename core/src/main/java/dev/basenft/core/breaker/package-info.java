/**
 * The circuit breaker that stops hammering an unreachable chain (SPEC §4): a pure, thread-safe state machine with injected
 * time.
 */
package dev.basenft.core.breaker;
