package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.testing.AnvilProcess;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.adapter.base.rpc.testing.FaultProxy.Fault;
import dev.basenft.adapter.base.rpc.testing.PlannedBatches;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.MintCall;
import dev.basenft.core.model.MintQuote;
import dev.basenft.core.model.SignedTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.NewBlocks;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.WorkerEvents;
import dev.basenft.core.service.WorkerIdentity;
import dev.basenft.core.testing.InMemoryStorage;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/**
 * Confirmation latency against a real anvil: {@code eth_sendRawTransactionSync} answers the broadcast with the receipt (and
 * an endpoint without it is remembered and sent the plain method), the block time is measured from block timestamps, and a
 * receipt from a block above the node's {@code latest} (what a Flashblocks endpoint shows) is acted on only when
 * preconfirmations are accepted.
 */
class ConfirmationLatencyOnAnvilTest {

    private static DevChain dev;

    @BeforeAll
    static void start() {
        dev = DevChain.start();
    }

    @AfterAll
    static void stop() {
        dev.close();
    }

    private static SignedTransaction signedMint(BaseRpcChain chain, int recipients) {
        MintCall call = new MintCall(dev.createCollection("Sync", "SYN", ""), DevChain.randomKey(),
                DevChain.freshAddresses(recipients));
        MintQuote quote = chain.quoteMint(call);
        return chain.signMint(call, chain.pendingNonce(chain.minter()), quote);
    }

    @Test
    void theSyncBroadcastAnswersWithTheMintReceipt() {
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(dev.anvil.url()).sendSync(true).build())) {
            SignedTransaction tx = signedMint(chain, 3);

            BroadcastResult result = chain.broadcast(tx);

            assertThat(result).isInstanceOf(BroadcastResult.Accepted.class);
            BroadcastResult.Accepted accepted = (BroadcastResult.Accepted) result;
            assertThat(accepted.receipt()).as("anvil serves eth_sendRawTransactionSync").isPresent();
            assertThat(accepted.receipt().get().hash()).isEqualTo(tx.hash());
            assertThat(accepted.receipt().get().tokens()).hasSize(3);
            assertThat(chain.status(tx.hash())).isEqualTo(new TransactionStatus.Mined(accepted.receipt().get()));
            assertThat(chain.sendsSync()).isTrue();
        }
    }

    @Test
    void withSendSyncOffTheBroadcastTakesThePlainMethodAndReturnsNoReceipt() throws IOException {
        try (FaultProxy proxy = new FaultProxy(dev.anvil.url());
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(false).build())) {
            SignedTransaction tx = signedMint(chain, 1);

            BroadcastResult result = chain.broadcast(tx);

            assertThat(result).isEqualTo(new BroadcastResult.Accepted(tx.hash()));
            assertThat(proxy.requests("eth_sendRawTransactionSync")).isZero();
            assertThat(proxy.requests("eth_sendRawTransaction")).isEqualTo(1);
        }
    }

    @Test
    void anEndpointWithoutTheSyncMethodIsRememberedAndSentThePlainOne() throws IOException {
        try (FaultProxy proxy = new FaultProxy(dev.anvil.url());
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(true).build())) {
            proxy.inject("eth_sendRawTransactionSync", 1_000, new Fault.RpcError(-32601,
                    "the method eth_sendRawTransactionSync does not exist/is not available"));
            SignedTransaction first = signedMint(chain, 1);

            assertThat(chain.broadcast(first)).isEqualTo(new BroadcastResult.Accepted(first.hash()));
            assertThat(chain.status(first.hash())).isInstanceOf(TransactionStatus.Mined.class);
            SignedTransaction second = signedMint(chain, 1);
            assertThat(chain.broadcast(second)).isEqualTo(new BroadcastResult.Accepted(second.hash()));

            assertThat(chain.sendsSync()).isFalse();
            assertThat(proxy.requests("eth_sendRawTransactionSync")).as("asked once, then remembered").isEqualTo(1);
            assertThat(proxy.requests("eth_sendRawTransaction")).isEqualTo(2);
        }
    }

    @Test
    void aSyncTimeoutAnswerIsAnAcceptedTransactionWithoutReceipt() throws IOException {
        try (FaultProxy proxy = new FaultProxy(dev.anvil.url());
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(true).build())) {
            // EIP-7966's timeout answer, from a node that took the transaction but saw no receipt within its wait.
            proxy.inject("eth_sendRawTransactionSync", 1, new Fault.RpcError(4,
                    "The transaction was added to the mempool but wasn't processed in 2s."));
            SignedTransaction tx = signedMint(chain, 1);

            BroadcastResult result = chain.broadcast(tx);

            assertThat(result).isEqualTo(new BroadcastResult.Accepted(tx.hash()));
            assertThat(proxy.requests("eth_sendRawTransaction")).as("no second send").isZero();
            assertThat(chain.sendsSync()).as("a timeout is no reason to stop asking").isTrue();
        }
    }

    @Test
    void aSyncCallHeldPastTheRpcTimeoutTurnsSyncOffAndTheTransactionIsSentPlainly() throws IOException {
        try (FaultProxy proxy = new FaultProxy(dev.anvil.url());
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(true)
                        .callTimeout(Duration.ofSeconds(1)).build())) {
            // A node whose own wait is longer than our call timeout (anvil without mining waits for ever).
            proxy.inject("eth_sendRawTransactionSync", 1_000, new Fault.Delay(Duration.ofSeconds(3)));
            SignedTransaction first = signedMint(chain, 1);

            assertThat(chain.broadcast(first)).isEqualTo(new BroadcastResult.Accepted(first.hash()));
            assertThat(chain.sendsSync()).as("the next sends must not wait out the timeout again").isFalse();
            SignedTransaction second = signedMint(chain, 1);
            assertThat(chain.broadcast(second)).isEqualTo(new BroadcastResult.Accepted(second.hash()));

            int syncCalls = proxy.requests("eth_sendRawTransactionSync");
            assertThat(proxy.requests("eth_sendRawTransaction")).isEqualTo(2);
            assertThat(chain.status(second.hash())).isNotInstanceOf(TransactionStatus.Unknown.class);
            assertThat(proxy.requests("eth_sendRawTransactionSync")).as("not asked for the second").isEqualTo(syncCalls);
        }
    }

    @Test
    void aSyncRefusalOfTheTransactionIsCheckedWithThePlainMethod() throws IOException {
        try (FaultProxy proxy = new FaultProxy(dev.anvil.url());
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(true).build())) {
            proxy.inject("eth_sendRawTransactionSync", 1, new Fault.RpcError(-32000, "some node-specific objection"));
            SignedTransaction tx = signedMint(chain, 1);

            BroadcastResult result = chain.broadcast(tx);

            assertThat(result).as("the plain method's verdict counts").isEqualTo(new BroadcastResult.Accepted(tx.hash()));
            assertThat(proxy.requests("eth_sendRawTransaction")).isEqualTo(1);
            assertThat(chain.status(tx.hash())).isInstanceOf(TransactionStatus.Mined.class);
        }
    }

    @Test
    void theBlockTimeIsMeasuredFromBlockTimestamps() throws InterruptedException {
        try (AnvilProcess ticking = AnvilProcess.start("--block-time", "1");
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(ticking.url()).build())) {
            while (chain.blockNumber() < 3) {
                Thread.sleep(200);
            }

            Optional<java.time.Duration> blockTime = chain.measureBlockTime(50);

            assertThat(blockTime).hasValue(Duration.ofSeconds(1));
            assertThat(NewBlockWatcher.pollIntervalFor(blockTime.get())).isEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void withoutPreconfirmationsAReceiptAboveTheNodesLatestBlockIsNotActedOnUntilTheBlockIsSealed() throws IOException {
        InMemoryStorage storage = new InMemoryStorage(Clock.systemUTC());
        Batch batch = PlannedBatches.one(storage, dev.createCollection("Pre", "PRE", ""), 2);
        try (FaultProxy flashblocks = new FaultProxy(dev.anvil.url());
                BaseRpcChain chain = BaseRpcChain.connect(dev.settings(flashblocks.url()).build())) {
            // As a Flashblocks endpoint: receipts from the block being built, `latest` one block behind it.
            flashblocks.inject("eth_blockNumber", 1_000_000, new Fault.Rewrite(answer -> answer.put("result",
                    Numeric.encodeQuantity(Numeric.decodeQuantity(answer.get("result").asText()).subtract(BigInteger.ONE)))));
            storage.ledger().resyncNonce(chain.minter(), chain.pendingNonce(chain.minter()));
            DistributionSettings strict = DistributionSettings.builder().receiptTimeout(Duration.ofMillis(500))
                    .receiptPollInterval(Duration.ofMillis(100)).build();

            BatchOutcome first = worker(storage, chain, strict).process(new ProcessBatchCommand(batch.id(), 0, 3));

            assertThat(first).isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(((BatchOutcome.Delayed) first).reason()).contains("not sealed yet");
            assertThat(storage.batches().find(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.SUBMITTED);

            BatchOutcome accepted = worker(storage, chain, strict.toBuilder().acceptPreconfirmations(true).build())
                    .process(new ProcessBatchCommand(batch.id(), 0, 3));

            assertThat(accepted).isInstanceOf(BatchOutcome.Completed.class);
            assertThat(storage.ledger().forBatch(batch.id())).as("one transaction, never signed again").hasSize(1);
        }
    }

    private static BatchProcessor worker(InMemoryStorage storage, BaseRpcChain chain, DistributionSettings settings) {
        NewBlocks polled = new NewBlocks() {
            @Override
            public long head() {
                return -1;
            }

            @Override
            public long awaitAbove(long seen, Duration atMost) {
                try {
                    Thread.sleep(atMost);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        };
        return new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, Clock.systemUTC()), Clock.systemUTC(), settings,
                new WorkerIdentity("latency-worker"), polled, WorkerEvents.NONE);
    }
}
