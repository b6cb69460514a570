package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.PlannedBatches;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.adapter.base.rpc.testing.FaultProxy.Fault;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.ChainUnavailableException;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WorkerIdentity;
import dev.basenft.core.testing.InMemoryStorage;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker over the real adapter, anvil behind a fault-injecting proxy: a node's JSON-RPC error while the receipt of a
 * sent transaction is read does not fail the batch (its transaction was mined), and a gateway started while no endpoint
 * answers starts unready and works, chain id checked, once one does.
 */
// Faults on the plain send and the receipt reads after it: with eth_sendRawTransactionSync the receipt would come with the
// send, past the faults under test (that path is ConfirmationLatencyOnAnvilTest's).
class UnknownFateOnAnvilTest {

    private static DevChain dev;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        dev = DevChain.start();
        proxy = new FaultProxy(dev.anvil.url());
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        dev.close();
    }

    @AfterEach
    void clearFaults() {
        proxy.reset();
    }

    @Test
    void aJsonRpcErrorWhileReadingTheReceiptLeavesTheMinedBatchToBeCompletedNotFailed() {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(false).build())) {
            InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
            Batch batch = PlannedBatches.one(storage, dev.createCollection("Fate", "FT", ""), 3);
            BatchProcessor worker = new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                    new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, Clock.systemUTC()), Clock.systemUTC(),
                    DistributionSettings.DEFAULTS, new WorkerIdentity("anvil-worker"), duration -> { });
            storage.ledger().resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
            // The node mines the mint, then answers the receipt poll with an internal error, as a provider in trouble does.
            proxy.inject("eth_getTransactionReceipt", 1, new Fault.RpcError(-32603, "internal error"));

            BatchOutcome first = worker.process(new ProcessBatchCommand(batch.id(), 2, 3));

            assertThat(first).as("its transaction is mined: the batch must not be FAILED")
                    .isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(((BatchOutcome.Delayed) first).reason()).startsWith("fate unknown").contains("internal error");
            assertThat(storage.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);
            assertThat(proxy.faults("eth_getTransactionReceipt")).isEqualTo(1);

            BatchOutcome second = worker.process(new ProcessBatchCommand(batch.id(), 2, 3));

            assertThat(second).isInstanceOf(BatchOutcome.Completed.class);
            assertThat(((BatchOutcome.Completed) second).receipt().tokens()).hasSize(3);
            assertThat(storage.ledger().forBatch(batch.id())).as("one transaction signed").hasSize(1);
        }
    }

    @Test
    void aNodeErrorOnTheEstimateIsNoVerdictOnTheMintAndFailsNothing() {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(false).build())) {
            InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
            Batch batch = PlannedBatches.one(storage, dev.createCollection("Estimate", "EST", ""), 2);
            BatchProcessor worker = new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                    new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, Clock.systemUTC()), Clock.systemUTC(),
                    DistributionSettings.DEFAULTS, new WorkerIdentity("estimate-worker"), duration -> { });
            storage.ledger().resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
            proxy.inject("eth_estimateGas", 1, new Fault.RpcError(-32603, "internal error"));

            BatchOutcome first = worker.process(new ProcessBatchCommand(batch.id(), 2, 3));

            assertThat(first).as("on its last attempt, too: an outage is waited out").isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(storage.batches().find(batch.id()).orElseThrow().status()).isNotEqualTo(BatchStatus.FAILED);
            assertThat(worker.process(new ProcessBatchCommand(batch.id(), 2, 3))).isInstanceOf(BatchOutcome.Completed.class);
        }
    }

    @Test
    void aReadAnsweredWithAJsonRpcErrorIsTheNodesTroubleNotARefusal() {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(false).build())) {
            proxy.inject("eth_getTransactionReceipt", 1, new Fault.RpcError(-32603, "internal error"));

            assertThatThrownBy(() -> chain.status(new TxHash("0x" + "ab".repeat(32))))
                    .isInstanceOf(ChainUnavailableException.class)
                    .hasMessageContaining("internal error");
        }
    }

    @Test
    void startsUnreadyWhileNoEndpointAnswersAndWorksOnceOneDoesCheckingItsChainIdThen() {
        proxy.inject(null, 1_000, new Fault.Status(503, "{}"));
        URI url = URI.create(proxy.url() + "/v2/SECRET-API-KEY");
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(url).retry(new RetrySettings(1, Duration.ofMillis(10),
                Duration.ofMillis(20), 0)).build())) {
            assertThatThrownBy(chain::readiness).isInstanceOf(ChainUnavailableException.class)
                    .hasMessageNotContaining("SECRET-API-KEY");

            proxy.reset();

            assertThat(chain.readiness().blockNumber()).isPositive();
            assertThat(proxy.requests("eth_chainId")).as("the chain id is checked before the endpoint is used").isEqualTo(1);
        }
    }
}
