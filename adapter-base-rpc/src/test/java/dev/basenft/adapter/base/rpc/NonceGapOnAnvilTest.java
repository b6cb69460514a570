package dev.basenft.adapter.base.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.adapter.base.rpc.testing.Calls;
import dev.basenft.adapter.base.rpc.testing.DevChain;
import dev.basenft.adapter.base.rpc.testing.PlannedBatches;
import dev.basenft.adapter.base.rpc.testing.FaultProxy;
import dev.basenft.adapter.base.rpc.testing.FaultProxy.Fault;
import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.FillerTransaction;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.TransactionStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.Claim;
import dev.basenft.core.service.BatchProcessor;
import dev.basenft.core.service.DistributionSettings;
import dev.basenft.core.service.DistributionWorker;
import dev.basenft.core.service.NonceHealth;
import dev.basenft.core.service.Sleeper;
import dev.basenft.core.service.WorkerIdentity;
import dev.basenft.core.testing.InMemoryDistributionQueue;
import dev.basenft.core.testing.InMemoryStorage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A signed mint that never reached anvil (its send swallowed by the proxy) and whose batch was then given up: the mints
 * signed after it sit in anvil's pool behind the missing nonce and are never mined. The worker's nonce-health check fills
 * the nonce with a zero-value self-transfer, with no operator action; the later batches are mined, the given-up mint never
 * is, and the wallet's nonces on chain are exactly one per minted batch plus the recorded filler.
 */
class NonceGapOnAnvilTest {

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
    void theNonceHealthCheckFillsTheNonceOfAGivenUpMintThatNeverReachedTheNodeAndUnjamsTheBatchesBehindIt()
            throws Exception {
        Clock clock = Clock.systemUTC();
        DistributionSettings settings = DistributionSettings.builder().receiptTimeout(Duration.ofSeconds(2))
                .receiptPollInterval(Duration.ofMillis(200)).build();
        try (BaseRpcChain chain = BaseRpcChain.connect(dev.settings(proxy.url()).sendSync(false).build())) {
            InMemoryStorage storage = new InMemoryStorage(clock);
            Address collection = dev.createCollection("Gap", "GAP", "");
            List<Batch> batches = PlannedBatches.of(storage, collection, 3, 1);
            BatchProcessor processor = new BatchProcessor(storage.campaigns(), storage.batches(), storage.ledger(), chain,
                    new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, clock), clock, settings,
                    new WorkerIdentity("gap-worker"), Sleeper.THREAD_SLEEP);
            Address minter = chain.minter();
            long start = chain.pendingNonce(minter);
            storage.ledger().resyncNonce(minter, start);

            // Batch 0: signed and stored on nonce `start`, but the send never reaches anvil.
            proxy.inject("eth_sendRawTransaction", 100, new Fault.Status(503, "{}"));
            assertThat(processor.process(first(batches.get(0)))).isInstanceOf(BatchOutcome.Delayed.class);
            proxy.reset();
            StoredTransaction withheld = storage.ledger().forBatch(batches.get(0).id()).getFirst();
            assertThat(withheld.nonce()).isEqualTo(start);
            assertThat(chain.status(withheld.hash())).isEqualTo(new TransactionStatus.Unknown());
            giveUp(storage, batches.get(0));
            // Batches 1 and 2 reach anvil on the next nonces, and wait there behind the missing one.
            assertThat(processor.process(first(batches.get(1)))).isInstanceOf(BatchOutcome.Delayed.class);
            assertThat(processor.process(first(batches.get(2)))).isInstanceOf(BatchOutcome.Delayed.class);
            dev.rpc.mine();
            assertThat(chain.latestNonce(minter)).as("jammed behind the withheld nonce").isEqualTo(start);
            assertThat(chain.pendingNonce(minter)).isEqualTo(start);

            // The worker, as a process runs it: jobs for the open batches, and the nonce-health check beside them.
            InMemoryDistributionQueue queue = InMemoryDistributionQueue.withDefaults(clock);
            queue.enqueueAll(List.of(batches.get(1), batches.get(2)));
            DistributionWorker worker = new DistributionWorker(queue, processor, storage.ledger(), chain, 2, null, null,
                    new NonceHealth(chain, storage.ledger(), storage.batches(), settings, clock), Duration.ofSeconds(1));
            worker.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!completed(storage, batches.get(1), batches.get(2)) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                worker.stop(Duration.ofSeconds(10));
            }

            assertThat(completed(storage, batches.get(1), batches.get(2))).as("the batches behind the gap were mined")
                    .isTrue();
            List<FillerTransaction> fillers = storage.ledger().fillersFrom(minter, 0);
            assertThat(fillers).singleElement().satisfies(f -> {
                assertThat(f.nonce()).isEqualTo(start);
                assertThat(chain.status(f.hash())).isInstanceOfSatisfying(TransactionStatus.Mined.class,
                        m -> assertThat(m.receipt().tokens()).isEmpty());
            });
            assertThat(chain.status(withheld.hash())).as("the given-up mint never landed")
                    .isEqualTo(new TransactionStatus.Unknown());
            assertThat(tokenCount(collection, batches.get(0).recipients().getFirst())).isZero();
            for (Batch minted : List.of(batches.get(1), batches.get(2))) {
                assertThat(tokenCount(collection, minted.recipients().getFirst())).isEqualTo(1);
                assertThat(storage.ledger().forBatch(minted.id())).as("one transaction each, never re-signed").hasSize(1);
            }
            assertThat(chain.latestNonce(minter) - start).as("nonces on chain: one per minted batch plus the fillers")
                    .isEqualTo(2 + fillers.size());
        }
    }

    private static ProcessBatchCommand first(Batch batch) {
        return new ProcessBatchCommand(batch.id(), 0, 3);
    }

    /** An operator's give-up, as the stores see it: FAILED, with its signed transaction still in the ledger. */
    private static void giveUp(InMemoryStorage storage, Batch batch) {
        Instant now = Instant.now();
        Claim claim = new Claim(batch.id(), "operator", now, now.plusSeconds(60));
        assertThat(storage.batches().claim(claim)).isPresent();
        assertThat(storage.batches().fail(claim, "given up")).isTrue();
    }

    private static boolean completed(InMemoryStorage storage, Batch... batches) {
        for (Batch batch : batches) {
            if (storage.batches().find(batch.id()).orElseThrow().status() != BatchStatus.COMPLETED) {
                return false;
            }
        }
        return true;
    }

    private static long tokenCount(Address collection, Address owner) {
        return Calls.decodeUint(dev.rpc.ethCall(null, collection, Calls.encode("balanceOf", Calls.address(owner))))
                .longValueExact();
    }
}
