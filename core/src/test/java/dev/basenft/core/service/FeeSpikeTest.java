package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.BroadcastResult;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.ChainFailure;
import dev.basenft.core.model.Fees;
import dev.basenft.core.model.StoredTransaction;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stored transaction the node lost, whose fees the base fee has since passed, is replaced on the same nonce with fresh
 * fees instead of being rebroadcast (and refused) forever.
 */
class FeeSpikeTest {

    private final Harness h = new Harness();
    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    /** A batch whose signed, stored transaction the node dropped, after which the base fee rose above its fee cap. */
    private Batch droppedThenOutpriced(Campaign campaign) {
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction sent = h.storage.ledger().forBatch(batch.id()).getFirst();
        assertThat(h.chain.drop(sent.hash())).isTrue();
        h.chain.setBaseFee(sent.transaction().fees().maxFeePerGas().times(2));
        h.chain.rejectUnderBaseFee(true);
        h.chain.automine(true);
        return batch;
    }

    @Test
    void replacesAnUnderpricedStoredTransactionOnTheSameNonceWithFreshFees() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = droppedThenOutpriced(campaign);

        BatchOutcome outcome = h.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        List<StoredTransaction> stored = h.storage.ledger().forBatch(batch.id());
        assertThat(stored).hasSize(2);
        assertThat(stored.getLast().nonce()).as("the same nonce").isEqualTo(stored.getFirst().nonce());
        Fees old = stored.getFirst().transaction().fees();
        Fees fresh = stored.getLast().transaction().fees();
        assertThat(atLeastTenPercentMore(fresh.maxFeePerGas(), old.maxFeePerGas())).isTrue();
        assertThat(atLeastTenPercentMore(fresh.maxPriorityFeePerGas(), old.maxPriorityFeePerGas())).isTrue();
        assertThat(h.chain.currentFees().maxFeePerGas().isGreaterThan(fresh.maxFeePerGas()))
                .as("priced at least at the market's fees now").isFalse();
        assertThat(h.chain.broadcasts()).filteredOn(b -> b.result() instanceof BroadcastResult.Rejected r
                && r.failure() == ChainFailure.UNDERPRICED).hasSize(1);
        assertThat(log.linesContaining("refused as underpriced")).hasSize(1);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    @Test
    void waitsInsteadWhenFreshFeesWouldPassTheCeiling() {
        Harness capped = new Harness(DistributionSettings.builder().maxFeePerGas(Wei.gwei(3)).build());
        Campaign campaign = capped.campaignWithContract(2);
        Batch batch = capped.distribute(campaign).getFirst();
        capped.chain.automine(false);
        assertThat(capped.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction sent = capped.storage.ledger().forBatch(batch.id()).getFirst();
        capped.chain.drop(sent.hash());
        capped.chain.setBaseFee(Wei.gwei(5));
        capped.chain.rejectUnderBaseFee(true);

        BatchOutcome outcome = capped.worker().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(((BatchOutcome.Delayed) outcome).reason()).isEqualTo("gas price above ceiling");
        assertThat(capped.batch(batch).status()).isEqualTo(BatchStatus.SUBMITTED);
        assertThat(capped.storage.ledger().forBatch(batch.id())).as("nothing signed above the ceiling").hasSize(1);
    }

    @Test
    void aStoredTransactionTheNodeKeepsLosingIsReplacedOnceItStaysUnknownPastStuckAfterNotRebroadcastForever() {
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.automine(false);
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
        StoredTransaction sent = h.storage.ledger().forBatch(batch.id()).getFirst();
        // The node takes the bytes and drops them again (evicted, or a provider that never propagates them).
        assertThat(h.chain.drop(sent.hash())).isTrue();
        assertThat(h.process(batch)).as("rebroadcast while still young").isInstanceOf(BatchOutcome.Delayed.class);
        assertThat(h.chain.drop(sent.hash())).as("the rebroadcast was accepted").isTrue();
        h.clock.advance(h.settings.stuckAfter());

        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);

        List<StoredTransaction> stored = h.storage.ledger().forBatch(batch.id());
        assertThat(stored).hasSize(2);
        assertThat(stored.getLast().nonce()).as("the same nonce").isEqualTo(sent.nonce());
        assertThat(atLeastTenPercentMore(stored.getLast().transaction().fees().maxFeePerGas(),
                sent.transaction().fees().maxFeePerGas())).isTrue();
        assertThat(h.chain.broadcasts().stream().filter(b -> b.hash().equals(sent.hash())))
                .as("the lost bytes were sent twice, not a third time").hasSize(2);
        assertThat(log.linesContaining("rebroadcasts did not stick")).hasSize(1);
        h.chain.mine();
        assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
    }

    private static boolean atLeastTenPercentMore(Wei fresh, Wei old) {
        return fresh.value().multiply(BigInteger.valueOf(100)).compareTo(old.value().multiply(BigInteger.valueOf(110))) >= 0;
    }
}
