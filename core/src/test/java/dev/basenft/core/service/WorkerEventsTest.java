package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.model.Batch;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.MintReceipt;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Wei;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What {@link BatchProcessor} tells its {@link WorkerEvents} observer (the application's metrics), on the fake chain. */
class WorkerEventsTest {

    private final Harness h = new Harness();
    private final Recording events = new Recording();

    private BatchProcessor observed(WorkerEvents observer) {
        return new BatchProcessor(h.storage.campaigns(), h.storage.batches(), h.storage.ledger(), h.chain,
                new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock), h.clock, h.settings, new WorkerIdentity("observed"),
                h.clock::advance, observer);
    }

    private Batch singleBatch(Campaign campaign) {
        List<Batch> batches = h.distribute(campaign);
        assertThat(batches).hasSize(1);
        return batches.getFirst();
    }

    @Test
    void aFreshMintIsOneSentTransactionAndOneMinedBatchWithItsReceipt() {
        Batch batch = singleBatch(h.campaignWithContract(3));

        BatchOutcome outcome = observed(events).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        StoredTransaction stored = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(events.log).containsExactly("sent " + stored.hash(), "mined " + stored.hash() + " tokens=3");
    }

    @Test
    void aRedeliveredJobForACompletedBatchIsNotMinedTwice() {
        Batch batch = singleBatch(h.campaignWithContract(2));
        observed(events).process(Harness.firstAttempt(batch));

        observed(events).process(Harness.firstAttempt(batch));

        assertThat(events.log).filteredOn(e -> e.startsWith("mined")).hasSize(1);
    }

    @Test
    void aDroppedTransactionSentAgainIsARebroadcast() {
        Batch batch = singleBatch(h.campaignWithContract(2));
        h.chain.automine(false);
        observed(events).process(Harness.firstAttempt(batch));
        StoredTransaction stored = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.drop(stored.hash())).isTrue();
        h.chain.automine(true);

        observed(events).process(Harness.firstAttempt(batch));

        assertThat(events.log).containsExactly("sent " + stored.hash(), "rebroadcast " + stored.hash(),
                "mined " + stored.hash() + " tokens=2");
    }

    @Test
    void aStuckTransactionReplacedOnItsNonceIsAReplacement() {
        Batch batch = singleBatch(h.campaignWithContract(2));
        h.chain.automine(false);
        observed(events).process(Harness.firstAttempt(batch));
        h.chain.setBaseFee(Wei.gwei(3));
        h.chain.automine(true);
        h.chain.mine();
        h.clock.advance(h.settings.stuckAfter());

        observed(events).process(Harness.firstAttempt(batch));

        List<StoredTransaction> stored = h.storage.ledger().forBatch(batch.id());
        assertThat(stored).hasSize(2);
        assertThat(events.log).containsExactly("sent " + stored.get(0).hash(), "replaced " + stored.get(1).hash(),
                "mined " + stored.get(1).hash() + " tokens=2");
    }

    @Test
    void anObserverThatThrowsChangesNothingForTheBatch() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = singleBatch(campaign);
        WorkerEvents broken = new WorkerEvents() {
            @Override
            public void transactionSent(Batch b, StoredTransaction t) {
                throw new IllegalStateException("metrics down");
            }

            @Override
            public void batchMined(Batch b, MintReceipt r) {
                throw new IllegalStateException("metrics down");
            }
        };

        assertThat(observed(broken).process(Harness.firstAttempt(batch))).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    private static final class Recording implements WorkerEvents {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public void transactionSent(Batch batch, StoredTransaction transaction) {
            log.add("sent " + transaction.hash());
        }

        @Override
        public void transactionRebroadcast(Batch batch, StoredTransaction transaction) {
            log.add("rebroadcast " + transaction.hash());
        }

        @Override
        public void transactionReplaced(Batch batch, StoredTransaction replacement) {
            log.add("replaced " + replacement.hash());
        }

        @Override
        public void batchMined(Batch batch, MintReceipt receipt) {
            log.add("mined " + receipt.hash() + " tokens=" + receipt.tokens().size());
        }
    }
}
