/**
 * In-memory implementations of every out-port of base-nft core, and a fake chain, for tests: core's own, and those of
 * embedders and adapters that depend on core's test-jar.
 *
 * <ul>
 *   <li>{@link dev.basenft.core.testing.InMemoryStorage}: the five storage ports over one lock, with the conditional updates,
 *       leases and atomic write-ahead the port Javadoc states;
 *   <li>{@link dev.basenft.core.testing.InMemoryDistributionQueue}: the queue with job-id deduplication, delays, attempts,
 *       backoff and locks judged against an {@link java.time.InstantSource};
 *   <li>{@link dev.basenft.core.testing.FakeChain}: a chain with a minter wallet, a mempool, collections and fault injection;
 *   <li>{@link dev.basenft.core.testing.MutableClock} and {@link dev.basenft.core.testing.SequentialIds}: controllable time
 *       and ids.
 * </ul>
 *
 * Every class here is thread-safe unless its Javadoc says otherwise. The {@code InMemory…ContractTest} classes run the
 * abstract port contracts of {@link dev.basenft.core.testing.contract} against these implementations.
 */
package dev.basenft.core.testing;
