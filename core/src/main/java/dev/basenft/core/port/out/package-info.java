/**
 * Out-ports: what core needs from the world, named for their role. Storage ({@link dev.basenft.core.port.out.Campaigns},
 * {@link dev.basenft.core.port.out.Recipients}, {@link dev.basenft.core.port.out.Batches},
 * {@link dev.basenft.core.port.out.TransactionLedger}, {@link dev.basenft.core.port.out.IdempotencyRecords}), the queue
 * ({@link dev.basenft.core.port.out.DistributionQueue}), the chain ({@link dev.basenft.core.port.out.Chain},
 * {@link dev.basenft.core.port.out.CollectionFactory}, {@link dev.basenft.core.port.out.NewBlocks}) and ids
 * ({@link dev.basenft.core.port.out.IdGenerator}). Time comes in
 * as a {@link java.time.InstantSource}. Each port has an in-memory implementation and a contract test in core's test-jar.
 */
package dev.basenft.core.port.out;
