package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A transaction the node loses while its batch waits for the receipt is sent again, byte for byte, within the same wait:
 * not after the receipt timeout, while every nonce above it is stuck behind it.
 */
class LostTransactionTest {

    @Test
    void aTransactionTheNodeLosesIsSentAgainWithinTheReceiptWait() {
        Harness h = new Harness();
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.automine(false);
        AtomicInteger pauses = new AtomicInteger();
        Sleeper nodeLosesItThenMinesWhatItHolds = pause -> {
            h.clock.advance(pause);
            int n = pauses.incrementAndGet();
            if (n == 1) {
                StoredTransaction sent = h.storage.ledger().forBatch(batch.id()).getFirst();
                assertThat(h.chain.drop(sent.hash())).isTrue();
            }
            if (n == 20) {
                h.chain.mine();
            }
        };

        BatchOutcome outcome = h.worker(nodeLosesItThenMinesWhatItHolds).process(Harness.firstAttempt(batch));

        assertThat(outcome).as("minted in the same call").isInstanceOf(BatchOutcome.Completed.class);
        List<StoredTransaction> stored = h.storage.ledger().forBatch(batch.id());
        assertThat(stored).as("nothing new signed").hasSize(1);
        assertThat(h.chain.broadcasts()).hasSize(2)
                .allSatisfy(b -> assertThat(b.hash()).isEqualTo(stored.getFirst().hash()));
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aBatchWaitingForItsReceiptReadsItsStoredTransactionsOnceNotAtEveryLook() {
        Harness h = new Harness();
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.automine(false);
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        // Counts, crashes nothing; the node mines at the twentieth look.
        CrashInjector counting = (operation, phase) -> {
            if (phase != CrashInjector.Phase.BEFORE) {
                return;
            }
            if (operation.equals("ledger.forBatch")) {
                reads.incrementAndGet();
            }
            if (operation.equals("chain.status") && looks.incrementAndGet() == 20) {
                h.chain.mine();
            }
        };

        BatchOutcome outcome = h.worker(counting).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(looks.get()).isGreaterThanOrEqualTo(20);
        // One read before the batch is signed (is anything stored for it yet?) and one for the wait; none per look.
        assertThat(reads.get()).as("reads of the batch's stored transactions").isLessThanOrEqualTo(3);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void aTransactionTheNodeHoldsIsNotSentAgain() {
        Harness h = new Harness();
        Campaign campaign = h.campaignWithContract(1);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.automine(false);
        AtomicInteger pauses = new AtomicInteger();
        Sleeper minedLate = pause -> {
            h.clock.advance(pause);
            if (pauses.incrementAndGet() == 20) {
                h.chain.mine();
            }
        };

        BatchOutcome outcome = h.worker(minedLate).process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        assertThat(h.chain.broadcasts()).as("pending all along: sent once").hasSize(1);
    }
}
