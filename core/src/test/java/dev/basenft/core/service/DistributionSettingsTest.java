package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Wei;
import dev.basenft.core.planning.BatchPlanner;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DistributionSettingsTest {

    @Test
    void hasTheDocumentedDefaults() {
        DistributionSettings d = DistributionSettings.DEFAULTS;

        assertThat(d.batchSize()).isEqualTo(200);
        assertThat(d.maxFeePerGas()).isEqualTo(Wei.gwei(50));
        assertThat(d.maxInFlight()).isEqualTo(8);
        assertThat(d.lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.receiptTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.receiptPollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.stuckAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.replacementBumpPercent()).isEqualTo(12);
        assertThat(d.breakerCooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.waitDelay()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void actsOnTheFirstReceiptUnlessToldToWaitForConfirmations() {
        assertThat(DistributionSettings.DEFAULTS.confirmations()).isZero();
        assertThat(DistributionSettings.builder().confirmations(1000).build().confirmations()).isEqualTo(1000);
        assertThat(DistributionSettings.builder().confirmations(5).build().toBuilder().build().confirmations()).isEqualTo(5);
    }

    @Test
    void allowsBatchesUpToThePlannersGasBoundOf349() {
        assertThat(DistributionSettings.builder().batchSize(BatchPlanner.MAX_BATCH_SIZE).build().batchSize()).isEqualTo(349);
    }

    @Test
    void copiesThroughItsBuilder() {
        DistributionSettings custom = DistributionSettings.builder().batchSize(7).maxInFlight(2).build();

        assertThat(custom.toBuilder().build()).isEqualTo(custom);
        assertThat(custom.toBuilder().batchSize(9).build().maxInFlight()).isEqualTo(2);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("batchSize", b -> b.batchSize(0)),
                bad("batchSize", b -> b.batchSize(350)), // over the gas cap through a clone, see BatchPlanner.MAX_BATCH_SIZE
                bad("maxFeePerGas", b -> b.maxFeePerGas(null)),
                bad("maxInFlight", b -> b.maxInFlight(0)),
                bad("lease", b -> b.lease(Duration.ZERO)),
                bad("receiptTimeout", b -> b.receiptTimeout(Duration.ofSeconds(-1))),
                bad("receiptPollInterval", b -> b.receiptPollInterval(null)),
                bad("stuckAfter", b -> b.stuckAfter(Duration.ZERO)),
                bad("replacementBumpPercent", b -> b.replacementBumpPercent(9)),
                bad("breakerCooldown", b -> b.breakerCooldown(Duration.ZERO)),
                bad("waitDelay", b -> b.waitDelay(Duration.ZERO)),
                bad("receiptTimeout", b -> b.receiptTimeout(Duration.ofMinutes(2))),
                bad("confirmations", b -> b.confirmations(-1)),
                bad("confirmations", b -> b.confirmations(DistributionSettings.MAX_CONFIRMATIONS + 1)));
    }

    private static Arguments bad(String name, UnaryOperator<DistributionSettings.Builder> change) {
        return Arguments.of(name, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void refusesABadSettingNamingIt(String name, UnaryOperator<DistributionSettings.Builder> change) {
        assertThatThrownBy(() -> change.apply(DistributionSettings.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(name);
    }

    @Test
    void explainsWhyTheReceiptWaitMustBeShorterThanTheLease() {
        assertThatThrownBy(() -> DistributionSettings.builder().receiptTimeout(Duration.ofMinutes(3)).build())
                .hasMessageContaining("another worker could take the batch over");
    }
}
