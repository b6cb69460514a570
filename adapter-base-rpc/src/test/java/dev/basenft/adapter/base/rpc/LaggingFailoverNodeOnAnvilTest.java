package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.PlannedBatches;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.adapter.base.rpc.testing.FaultProxy.Fault;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WorkerIdentity;
import dev.basenft.core.testing.InMemoryStorage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real nodes in failover order: anvil, and a second anvil forked from it a few blocks back that mines nothing (a node
 * lagging behind). When the first node fails receipt lookups and contract calls, those go to the lagging node, which has
 * never seen the mint, while the nonce still comes from the first: the worker must not read "nonce used, batch key unused"
 * across the two chains and sign the batch a second time.
 */
class LaggingFailoverNodeOnAnvilTest {

    private static DevChain dev;
    private static FaultProxy primary;

    @BeforeAll
    static void start() throws IOException {
        dev = DevChain.start();
        primary = new FaultProxy(dev.anvil.url());
    }

    @AfterAll
    static void stop() throws IOException {
        primary.close();
        dev.close();
    }

    @Test
    void aMintSeenOnlyByTheUpToDateNodeIsNeverSignedAgainAndCompletesOnceItIsVisible() {
        InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
        Batch batch = PlannedBatches.one(storage, dev.createCollection("Lag", "LAG", ""), 3);
        long forkBlock = dev.rpc.blockNumber();
        try (AnvilProcess lagging = AnvilProcess.start(AnvilProcess.CHAIN_ID, "--fork-url", dev.anvil.url().toString(),
                "--fork-block-number", Long.toString(forkBlock), "--no-mining");
                // Failed endpoints are tried first again almost at once, so each call starts at the up-to-date node.
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(primary.url(), lagging.url())
                        // The receipt must come from a read, not with a sync send, for the lagging node to answer it.
                        .failoverCooldown(Duration.ofMillis(1)).sendSync(false).build())) {
            DistributionSettings settings = DistributionSettings.builder().receiptTimeout(Duration.ofSeconds(1))
                    .receiptPollInterval(Duration.ofMillis(100)).build();
            BatchProcessor worker = new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                    new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, Clock.systemUTC()), Clock.systemUTC(), settings,
                    new WorkerIdentity("lagging-worker"), duration -> sleep(duration));
            storage.ledger().resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
            // From here on the up-to-date node answers nonces, blocks and sends, and fails receipt lookups and calls over
            // to the lagging node.
            for (String method : List.of("eth_getTransactionReceipt", "eth_getTransactionByHash", "eth_call")) {
                primary.inject(method, 100_000, new Fault.Status(503, "{}"));
            }

            BatchOutcome sent = worker.process(new ProcessBatchCommand(batch.id(), 0, 3));

            assertThat(sent).as("mined on the first node, invisible on the second").isInstanceOf(BatchOutcome.Delayed.class);
            StoredTransaction tx = storage.ledger().forBatch(batch.id()).getFirst();
            assertThat(dev.rpc.nonce(chain.minter(), "latest")).as("the mint is mined").isEqualTo(tx.nonce() + 1);

            BatchOutcome decided = worker.process(new ProcessBatchCommand(batch.id(), 1, 3));

            assertThat(decided).as("no verdict from two views").isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(storage.ledger().forBatch(batch.id())).as("nothing signed again").containsExactly(tx);
            assertThat(dev.rpc.nonce(chain.minter(), "latest")).as("no second transaction sent").isEqualTo(tx.nonce() + 1);
            assertThat(storage.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);

            primary.reset();
            BatchOutcome settled = worker.process(new ProcessBatchCommand(batch.id(), 1, 3));

            assertThat(settled).isInstanceOf(BatchOutcome.Completed.class);
            assertThat(((BatchOutcome.Completed) settled).receipt().hash()).isEqualTo(tx.hash());
            assertThat(((BatchOutcome.Completed) settled).receipt().tokens()).hasSize(3);
            assertThat(storage.ledger().forBatch(batch.id())).containsExactly(tx);
        }
    }

    @Test
    void aReadPinnedToABlockTheOnlyNodeLacksIsUnavailable() {
        long forkBlock = dev.rpc.blockNumber();
        try (AnvilProcess lagging = AnvilProcess.start(AnvilProcess.CHAIN_ID, "--fork-url", dev.anvil.url().toString(),
                "--fork-block-number", Long.toString(forkBlock), "--no-mining");
                BaseRpcChain behind = BaseRpcChain.connect(dev.settings(lagging.url()).build())) {
            dev.rpc.mine();

            assertThatThrownBy(() -> behind.nonceAt(dev.minter, forkBlock + 1)).isInstanceOf(ChainUnavailableException.class);
            assertThat(behind.nonceAt(dev.minter, forkBlock)).isEqualTo(dev.rpc.nonce(dev.minter, "0x" + Long.toHexString(forkBlock)));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
