package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.CampaignStatus;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.service.CrashInjector.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker dies at each step of minting a batch, a new process picks the batch up, and every recipient still ends
 * with exactly one token and no nonce is wasted (docs/architecture.md#exactly-once). Each crash runs with the
 * collection's batch-key protection on and off: off, the write-ahead ledger alone must be enough.
 */
class CrashRecoveryTest {

    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    /** Where the process dies, in the order the steps happen. */
    enum CrashPoint {
        /** Signing, inside the write-ahead: nothing is stored, no nonce is taken. */
        BEFORE_PERSISTING_THE_SIGNED_TX("chain.signMint", Phase.BEFORE),
        /** The signed transaction is stored (batch SUBMITTED), the node never got it. */
        AFTER_PERSISTING_BEFORE_BROADCAST("chain.broadcast", Phase.BEFORE),
        /** The node accepted and mined it; the answer never came back. */
        AFTER_BROADCAST_BEFORE_RECEIPT("chain.broadcast", Phase.AFTER),
        /** The receipt is in hand; the batch and recipients are not updated. */
        AFTER_RECEIPT_BEFORE_DATABASE_UPDATE("batches.complete", Phase.BEFORE);

        final String operation;
        final Phase phase;

        CrashPoint(String operation, Phase phase) {
            this.operation = operation;
            this.phase = phase;
        }
    }

    static Stream<Arguments> crashes() {
        List<Arguments> out = new ArrayList<>();
        for (CrashPoint point : CrashPoint.values()) {
            out.add(Arguments.of(point, true));
            out.add(Arguments.of(point, false));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, batch-key protection {1}")
    @MethodSource("crashes")
    void mintsEveryRecipientExactlyOnceAfterACrash(CrashPoint point, boolean batchKeyProtection) {
        Harness h = new Harness();
        h.chain.batchKeyProtection(batchKeyProtection);
        Campaign campaign = h.campaignWithContract(5);
        Batch batch = h.distribute(campaign).getFirst();
        long startNonce = h.chain.confirmedNonce(h.chain.minter());

        assertThatThrownBy(() -> h.worker(CrashInjector.once(point.operation, point.phase))
                .process(Harness.firstAttempt(batch)))
                .isInstanceOf(SimulatedCrash.class);

        BatchOutcome outcome = h.restart().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Completed.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.chain.confirmedNonce(h.chain.minter()) - startNonce).as("nonces used").isEqualTo(1);
        assertThat(h.chain.mempoolSize()).as("nothing left pending").isZero();
        assertThat(h.storage.ledger().nextNonce(h.chain.minter())).isEqualTo(startNonce + 1);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
        if (point != CrashPoint.BEFORE_PERSISTING_THE_SIGNED_TX) {
            assertThat(log.linesContaining("Found existing txHash, checking receipt")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}, batch-key protection {1}")
    @MethodSource("crashes")
    void aSecondCrashAtTheSameStepStillMintsOnce(CrashPoint point, boolean batchKeyProtection) {
        Harness h = new Harness();
        h.chain.batchKeyProtection(batchKeyProtection);
        Campaign campaign = h.campaignWithContract(3);
        Batch batch = h.distribute(campaign).getFirst();

        for (int crash = 0; crash < 2; crash++) {
            BatchProcessor doomed = crash == 0 ? h.worker(CrashInjector.once(point.operation, point.phase))
                    : restartedWith(h, CrashInjector.once(point.operation, point.phase));
            try {
                doomed.process(Harness.firstAttempt(batch));
            } catch (SimulatedCrash expected) {
                // The step may not be reached again (a recovery path can skip it); both are fine.
            }
        }
        BatchOutcome outcome = h.restart().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOfAny(BatchOutcome.Completed.class, BatchOutcome.AlreadyCompleted.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).isEqualTo(1);
    }

    private static BatchProcessor restartedWith(Harness h, CrashInjector crash) {
        h.restart();
        return h.worker(crash);
    }

    @Test
    void completesTheCampaignWhenTheCrashCameBetweenTheBatchAndTheCampaignUpdate() {
        Harness h = new Harness();
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();

        assertThatThrownBy(() -> h.worker(CrashInjector.once("campaigns.updateStatus", Phase.BEFORE))
                .process(Harness.firstAttempt(batch))).isInstanceOf(SimulatedCrash.class);
        BatchOutcome outcome = h.restart().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.AlreadyCompleted.class);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.campaign(campaign.id()).status())
                .as("the redelivered job must finish the campaign the crash left PROCESSING")
                .isEqualTo(CampaignStatus.COMPLETED);
    }

    @Test
    void failsTheCampaignWhenTheCrashCameBetweenTheFailedBatchAndTheCampaignUpdate() {
        Harness h = new Harness();
        Campaign campaign = h.campaignWithContract(2);
        Batch batch = h.distribute(campaign).getFirst();
        h.chain.pause(h.collection(campaign));

        assertThatThrownBy(() -> h.worker(CrashInjector.once("campaigns.updateStatus", Phase.BEFORE))
                .process(Harness.firstAttempt(batch))).isInstanceOf(SimulatedCrash.class);
        BatchOutcome outcome = h.restart().process(Harness.firstAttempt(batch));

        assertThat(outcome).isInstanceOf(BatchOutcome.Skipped.class);
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.FAILED);
        assertThat(log.linesContaining("Campaign status -> FAILED")).hasSize(1);
    }

    static Stream<Arguments> seeds() {
        return Stream.of(Arguments.of(1L, true), Arguments.of(1L, false), Arguments.of(42L, true),
                Arguments.of(42L, false), Arguments.of(20_260_101L, true), Arguments.of(20_260_101L, false));
    }

    /**
     * Twenty batches through the queue while the worker dies at random port calls (before or after them), restarting each
     * time, with pipelined nonces: crashes leave stored-but-unsent transactions that block later nonces until recovered.
     */
    @ParameterizedTest(name = "seed {0}, batch-key protection {1}")
    @MethodSource("seeds")
    void mintsTwentyBatchesExactlyOnceThroughRandomCrashes(long seed, boolean batchKeyProtection) throws Exception {
        Harness h = new Harness(DistributionSettings.builder().batchSize(5).build());
        h.chain.batchKeyProtection(batchKeyProtection);
        Campaign campaign = h.campaignWithContract(100);
        List<Batch> batches = h.distribute(campaign);
        assertThat(batches).hasSize(20);
        Random random = new Random(seed);
        RandomCrashes crashes = new RandomCrashes(random);
        BatchProcessor worker = h.worker(crashes);
        int crashCount = 0;

        // A broken processor keeps signing on new nonces; stop early instead of churning through an ever larger mempool.
        long nonceBudget = 3L * batches.size();
        for (int step = 0; step < 5_000 && !allCompleted(h, batches)
                && h.storage.ledger().nextNonce(h.chain.minter()) <= nonceBudget; step++) {
            Optional<DistributionJob> taken = h.queue.take(Duration.ZERO);
            if (taken.isEmpty()) {
                h.clock.advance(Duration.ofSeconds(5));
                continue;
            }
            DistributionJob job = taken.get();
            crashes.armWithProbability(0.3);
            try {
                BatchOutcome outcome = worker.process(
                        new ProcessBatchCommand(job.batchId(), job.attemptsMade(), job.maxAttempts()));
                h.queue.finish(job, JobOutcomes.of(outcome));
            } catch (SimulatedCrash crash) {
                // The job stays locked to the dead process; its lock and lease lapse, and a new process takes over.
                crashCount++;
                h.restart();
                worker = h.worker(crashes);
            }
        }

        assertThat(crashCount).as("the seed should make the worker crash several times").isGreaterThanOrEqualTo(5);
        h.assertEveryRecipientMintedExactlyOnce(campaign);
        assertThat(h.chain.confirmedNonce(h.chain.minter())).as("one nonce per batch").isEqualTo(20);
        assertThat(h.chain.mempoolSize()).isZero();
        assertThat(h.campaign(campaign.id()).status()).isEqualTo(CampaignStatus.COMPLETED);
    }

    private static boolean allCompleted(Harness h, List<Batch> batches) {
        return batches.stream().allMatch(b -> h.batch(b).status() == BatchStatus.COMPLETED);
    }

    /** Crashes at a random one of the next port calls, before or after it, when armed. Not thread-safe. */
    private static final class RandomCrashes implements CrashInjector {
        private final Random random;
        private int callsUntilCrash = -1;
        private Phase phase = Phase.BEFORE;

        RandomCrashes(Random random) {
            this.random = random;
        }

        void armWithProbability(double probability) {
            if (callsUntilCrash < 0 && random.nextDouble() < probability) {
                callsUntilCrash = random.nextInt(25);
                phase = random.nextBoolean() ? Phase.BEFORE : Phase.AFTER;
            }
        }

        @Override
        public void at(String operation, Phase at) {
            if (callsUntilCrash < 0 || at != phase) {
                return;
            }
            if (callsUntilCrash-- == 0) {
                callsUntilCrash = -1;
                throw new SimulatedCrash(at.name().toLowerCase(Locale.ROOT) + " " + operation);
            }
        }
    }
}
