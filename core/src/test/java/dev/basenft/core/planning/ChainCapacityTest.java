package dev.basenft.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.planning.ChainCapacity.BatchSizing;
import org.junit.jupiter.api.Test;

class ChainCapacityTest {

    private static final int MARGIN = 5;

    @Test
    void anvilsThirtyMillionGasBlockTakesTwoBatchesOfAboutThreeHundred() {
        BatchSizing sizing = ChainCapacity.ofMintBatch(30_000_000L, MARGIN).sizing();

        assertThat(sizing.batchSize()).isEqualTo(296);
        assertThat(sizing.batchesPerBlock()).isEqualTo(2);
        assertThat(sizing.gasAskedPerBatch()).as("two fit: each asks at most half the block")
                .isLessThanOrEqualTo(15_000_000L);
        assertThat(ChainCapacity.ofMintBatch(30_000_000L, MARGIN).gasAsked(297)).as("one more recipient and they do not")
                .isGreaterThan(15_000_000L);
        assertThat(sizing.recipientsPerBlock()).isEqualTo(592);
        assertThat(sizing.maxInFlight()).as("3 blocks of 2 batches is below the floor of 8").isEqualTo(8);
        assertThat(sizing.workerConcurrency()).isEqualTo(10);
    }

    @Test
    void aBaseLikeFourHundredMillionGasBlockTakesTwentyFourBatchesUnderThePerTransactionCap() {
        BatchSizing sizing = ChainCapacity.ofMintBatch(400_000_000L, MARGIN).sizing();

        assertThat(sizing.batchSize()).isEqualTo(330);
        assertThat(sizing.batchesPerBlock()).isEqualTo(24);
        assertThat(sizing.gasAskedPerBatch()).isLessThanOrEqualTo(400_000_000L / 24)
                .isLessThanOrEqualTo(ChainCapacity.BASE_TRANSACTION_GAS_CAP);
        assertThat(sizing.recipientsPerBlock()).isEqualTo(7_920);
        assertThat(sizing.maxInFlight()).isEqualTo(72);
        assertThat(sizing.workerConcurrency()).isEqualTo(96);
    }

    @Test
    void theFormerTwentyPercentMarginCostsARecipientsPerBlock() {
        BatchSizing twenty = ChainCapacity.ofMintBatch(30_000_000L, 20).sizing();
        BatchSizing none = ChainCapacity.ofMintBatch(30_000_000L, 0).sizing();

        assertThat(twenty.batchSize()).isEqualTo(259);
        assertThat(none.batchSize()).as("the bench ceiling's 312 asked 14,985,785 each, under 15M; the model is a bit above")
                .isEqualTo(311);
        assertThat(twenty.recipientsPerBlock()).isLessThan(none.recipientsPerBlock());
    }

    @Test
    void aHugeBlockIsBoundByTheLargestBatchOneTransactionHoldsAndTheThreadCap() {
        BatchSizing sizing = ChainCapacity.ofMintBatch(10_000_000_000L, 0).sizing();

        assertThat(sizing.batchSize()).isLessThanOrEqualTo(BatchPlanner.MAX_BATCH_SIZE);
        assertThat(sizing.gasAskedPerBatch()).isLessThanOrEqualTo(ChainCapacity.BASE_TRANSACTION_GAS_CAP);
        assertThat(sizing.batchesPerBlock()).isEqualTo((int) (10_000_000_000L / sizing.gasAskedPerBatch()));
        assertThat(sizing.maxInFlight()).isEqualTo(Math.min(1000, sizing.batchesPerBlock() * 3));
        assertThat(sizing.workerConcurrency()).isEqualTo(ChainCapacity.MAX_CONCURRENCY);
    }

    @Test
    void withoutAPerTransactionCapTheBatchPlannersLimitHolds() {
        ChainCapacity uncapped = new ChainCapacity(1_000_000_000L, 1_000_000_000L, ChainCapacity.ESTIMATED_GAS_PER_RECIPIENT,
                ChainCapacity.ESTIMATED_GAS_PER_BATCH, 0);

        BatchSizing sizing = uncapped.sizing();

        assertThat(sizing.batchSize()).isLessThanOrEqualTo(BatchPlanner.MAX_BATCH_SIZE);
        long atTheLimit = 1_000_000_000L / uncapped.gasAsked(BatchPlanner.MAX_BATCH_SIZE) * BatchPlanner.MAX_BATCH_SIZE;
        assertThat(sizing.recipientsPerBlock()).as("no worse than the largest batch allowed").isGreaterThanOrEqualTo(atTheLimit);
    }

    @Test
    void aBlockSmallerThanThePerTransactionCapCapsTheTransaction() {
        BatchSizing sizing = ChainCapacity.ofMintBatch(1_000_000L, MARGIN).sizing();

        assertThat(sizing.batchesPerBlock()).isEqualTo(1);
        assertThat(sizing.batchSize()).isEqualTo(18);
        assertThat(sizing.gasAskedPerBatch()).isLessThanOrEqualTo(1_000_000L);
    }

    @Test
    void ofEqualPackingsTheLargerBatchWins() {
        // 10,000 gas per recipient, no fixed part: sizes 1, 2, 4, 5 and 10 all pack 100 recipients into 1,000,000.
        BatchSizing sizing = new ChainCapacity(1_000_000L, 100_000L, 10_000, 0, 0).sizing();

        assertThat(sizing.batchSize()).isEqualTo(10);
        assertThat(sizing.batchesPerBlock()).isEqualTo(10);
    }

    @Test
    void theWorkerRoundsTheMarginUpAsTheSizingDoes() {
        ChainCapacity capacity = new ChainCapacity(30_000_000L, ChainCapacity.BASE_TRANSACTION_GAS_CAP, 3, 0, 5);

        assertThat(capacity.gasAsked(1)).as("3 × 1.05 = 3.15, rounded up").isEqualTo(4);
    }

    @Test
    void aBatchSizeSetElsewhereGetsTheInFlightAndConcurrencyItsOwnPackingNeeds() {
        ChainCapacity base = ChainCapacity.ofMintBatch(400_000_000L, MARGIN);

        BatchSizing hundred = base.sizingFor(100);
        assertThat(hundred.batchesPerBlock()).isEqualTo((int) (400_000_000L / base.gasAsked(100))).isEqualTo(78);
        assertThat(hundred.maxInFlight()).isEqualTo(234);
        BatchSizing tooBig = ChainCapacity.ofMintBatch(30_000_000L, 20).sizingFor(BatchPlanner.MAX_BATCH_SIZE);
        assertThat(tooBig.gasAskedPerBatch()).as("the worker caps what it asks at the per-transaction cap")
                .isEqualTo(ChainCapacity.BASE_TRANSACTION_GAS_CAP);
        assertThat(tooBig.batchesPerBlock()).isEqualTo(1);
        assertThat(base.sizingFor(330)).isEqualTo(base.sizing());
    }

    @Test
    void aBlockThatCannotHoldOneMintIsRefusedNamingTheFigures() {
        assertThatThrownBy(() -> ChainCapacity.ofMintBatch(100_000L, MARGIN).sizing())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block gas limit 100000");
    }

    @Test
    void badFiguresAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> ChainCapacity.ofMintBatch(0, MARGIN)).hasMessageContaining("blockGasLimit");
        assertThatThrownBy(() -> ChainCapacity.ofMintBatch(30_000_000L, 101)).hasMessageContaining("gasMarginPercent");
        assertThatThrownBy(() -> new ChainCapacity(30_000_000L, 20_000L, 1, 0, 0)).hasMessageContaining("transactionGasCap");
        assertThatThrownBy(() -> new ChainCapacity(30_000_000L, 30_000_000L, 0, 0, 0)).hasMessageContaining("gasPerRecipient");
        assertThatThrownBy(() -> new ChainCapacity(30_000_000L, 30_000_000L, 1, -1, 0)).hasMessageContaining("gasPerBatch");
        assertThatThrownBy(() -> ChainCapacity.ofMintBatch(30_000_000L, MARGIN).gasAsked(0)).hasMessageContaining("recipients");
    }
}
