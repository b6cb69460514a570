/**
 * Abstract JUnit 5 contract tests for the out-ports of base-nft core. Every implementation of a port extends the matching
 * contract and supplies a fixture; the contract then checks the behaviour the port's Javadoc promises — the behaviour the
 * worker's exactly-once guarantee rests on — including races between threads.
 *
 * <ul>
 *   <li>storage: {@link dev.basenft.core.testing.contract.CampaignsContract},
 *       {@link dev.basenft.core.testing.contract.RecipientsContract}, {@link dev.basenft.core.testing.contract.BatchesContract},
 *       {@link dev.basenft.core.testing.contract.TransactionLedgerContract} and
 *       {@link dev.basenft.core.testing.contract.IdempotencyRecordsContract}, all on
 *       {@link dev.basenft.core.testing.contract.StorageContract#newStorage()};
 *   <li>the queue: {@link dev.basenft.core.testing.contract.DistributionQueueContract};
 *   <li>the chain: {@link dev.basenft.core.testing.contract.ChainContract}, written so it can run against a real node
 *       (anvil) as well as {@link dev.basenft.core.testing.FakeChain};
 *   <li>news of blocks: {@link dev.basenft.core.testing.contract.NewBlocksContract}.
 * </ul>
 *
 * The contracts use fresh random ids, owners and wallets in every test, so a fixture may share one database, one Redis or
 * one chain between the tests of a class. They never skip or disable a test: a contract that does not apply is a port
 * that is not implemented.
 */
package dev.basenft.core.testing.contract;
