package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.PlannedBatches;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.adapter.base.rpc.testing.FaultProxy.Fault;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WorkerIdentity;
import dev.basenft.core.testing.InMemoryStorage;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fee spike on anvil: a stored transaction that never reached the node is priced under the base fee by the time it is
 * sent again. anvil refuses it ("max fee per gas less than block base fee"); the worker replaces it on the same nonce with
 * fresh fees, raised by at least 10 % on both caps and under the ceiling, and the batch is minted once.
 */
class FeeSpikeOnAnvilTest {

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

    @Test
    void anUnderpricedStoredTransactionIsReplacedOnTheSameNonceWithFreshFees() {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(false).build())) {
            InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
            Batch batch = PlannedBatches.one(storage, dev.createCollection("Spike", "SP", ""), 2);
            BatchProcessor worker = new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                    new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, Clock.systemUTC()), Clock.systemUTC(),
                    DistributionSettings.DEFAULTS, new WorkerIdentity("spike-worker"), duration -> { });
            storage.ledger().resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
            // Signed and stored, but the send never reaches the node.
            proxy.inject("eth_sendRawTransaction", 100, new Fault.Status(503, "{}"));
            assertThat(worker.process(new ProcessBatchCommand(batch.id(), 0, 3))).isInstanceOf(BatchOutcome.Delayed.class);
            proxy.reset();
            StoredTransaction stored = storage.ledger().forBatch(batch.id()).getFirst();
            // The base fee jumps far above the stored transaction's fee cap.
            BigInteger spike = stored.transaction().fees().maxFeePerGas().value().multiply(BigInteger.TEN);
            dev.rpc.call("anvil_setNextBlockBaseFeePerGas", "0x" + spike.toString(16));
            dev.rpc.mine();

            BatchOutcome outcome = worker.process(new ProcessBatchCommand(batch.id(), 0, 3));

            assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
            assertThat(((BatchOutcome.Completed) outcome).receipt().tokens()).hasSize(2);
            List<StoredTransaction> all = storage.ledger().forBatch(batch.id());
            assertThat(all).hasSize(2);
            assertThat(all.getLast().nonce()).isEqualTo(stored.nonce());
            Fees old = stored.transaction().fees();
            Fees fresh = all.getLast().transaction().fees();
            assertThat(percent(fresh.maxFeePerGas(), old.maxFeePerGas())).isGreaterThanOrEqualTo(110);
            assertThat(percent(fresh.maxPriorityFeePerGas(), old.maxPriorityFeePerGas())).isGreaterThanOrEqualTo(110);
            assertThat(fresh.maxFeePerGas().isGreaterThan(DistributionSettings.DEFAULTS.maxFeePerGas())).isFalse();
            assertThat(proxy.requests("eth_sendRawTransaction")).as("one refused rebroadcast, one replacement").isEqualTo(2);
        }
    }

    private static long percent(Wei fresh, Wei old) {
        return fresh.value().multiply(BigInteger.valueOf(100)).divide(old.value()).longValueExact();
    }
}
