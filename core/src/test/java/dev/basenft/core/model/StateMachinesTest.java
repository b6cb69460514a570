package dev.basenft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transition of every state machine, allowed or not. The allowed sets are written out here from
 * docs/architecture.md#batch-lifecycle and the enums' Javadoc rather than read from {@code next()}, so a wrong {@code
 * next()} fails.
 */
class StateMachinesTest {

    private static final Map<BatchStatus, Set<BatchStatus>> BATCH = Map.of(
            BatchStatus.PENDING, EnumSet.of(BatchStatus.PROCESSING, BatchStatus.CANCELLED),
            BatchStatus.PROCESSING, EnumSet.of(BatchStatus.PENDING, BatchStatus.SUBMITTED, BatchStatus.COMPLETED,
                    BatchStatus.FAILED, BatchStatus.CANCELLED),
            // Never SUBMITTED → CANCELLED: a signed transaction may land.
            BatchStatus.SUBMITTED, EnumSet.of(BatchStatus.SUBMITTED, BatchStatus.COMPLETED, BatchStatus.FAILED),
            BatchStatus.FAILED, EnumSet.of(BatchStatus.PENDING),
            BatchStatus.COMPLETED, EnumSet.noneOf(BatchStatus.class),
            BatchStatus.CANCELLED, EnumSet.noneOf(BatchStatus.class));

    private static final Map<RecipientStatus, Set<RecipientStatus>> RECIPIENT = Map.of(
            RecipientStatus.PENDING, EnumSet.of(RecipientStatus.PROCESSING),
            RecipientStatus.PROCESSING, EnumSet.of(RecipientStatus.COMPLETED, RecipientStatus.FAILED,
                    RecipientStatus.PENDING),
            RecipientStatus.FAILED, EnumSet.of(RecipientStatus.PROCESSING),
            RecipientStatus.COMPLETED, EnumSet.noneOf(RecipientStatus.class));

    private static final Map<CampaignStatus, Set<CampaignStatus>> CAMPAIGN = Map.of(
            CampaignStatus.DRAFT, EnumSet.of(CampaignStatus.PROCESSING),
            CampaignStatus.PROCESSING, EnumSet.of(CampaignStatus.COMPLETED, CampaignStatus.FAILED,
                    CampaignStatus.PAUSED, CampaignStatus.CANCELLED),
            CampaignStatus.PAUSED, EnumSet.of(CampaignStatus.PROCESSING, CampaignStatus.CANCELLED),
            CampaignStatus.CANCELLED, EnumSet.of(CampaignStatus.PROCESSING),
            CampaignStatus.COMPLETED, EnumSet.of(CampaignStatus.PROCESSING),
            CampaignStatus.FAILED, EnumSet.of(CampaignStatus.PROCESSING));

    private static <E extends Enum<E>> Stream<Arguments> pairs(String entity, E[] values, Map<E, Set<E>> allowed) {
        List<Arguments> out = new ArrayList<>();
        for (E from : values) {
            for (E to : values) {
                out.add(Arguments.of(entity, from, to, allowed.get(from).contains(to)));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> batchTransitions() {
        return pairs("batch", BatchStatus.values(), BATCH);
    }

    static Stream<Arguments> recipientTransitions() {
        return pairs("recipient", RecipientStatus.values(), RECIPIENT);
    }

    static Stream<Arguments> campaignTransitions() {
        return pairs("campaign", CampaignStatus.values(), CAMPAIGN);
    }

    private static <E extends Enum<E>> void check(String entity, E from, E to, boolean allowed, BiPredicate<E, E> canMove,
            BiFunction<E, E, E> move) {
        assertThat(canMove.test(from, to)).as("%s %s -> %s allowed", entity, from, to).isEqualTo(allowed);
        if (allowed) {
            assertThat(move.apply(from, to)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> move.apply(from, to))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessage(entity + " cannot go from " + from + " to " + to);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}: allowed={3}")
    @MethodSource("batchTransitions")
    void batchMovesOnlyAlongItsStateMachine(String entity, BatchStatus from, BatchStatus to, boolean allowed) {
        check(entity, from, to, allowed, BatchStatus::canMoveTo, BatchStatus::moveTo);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}: allowed={3}")
    @MethodSource("recipientTransitions")
    void recipientMovesOnlyAlongItsStateMachine(String entity, RecipientStatus from, RecipientStatus to, boolean allowed) {
        check(entity, from, to, allowed, RecipientStatus::canMoveTo, RecipientStatus::moveTo);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}: allowed={3}")
    @MethodSource("campaignTransitions")
    void campaignMovesOnlyAlongItsStateMachine(String entity, CampaignStatus from, CampaignStatus to, boolean allowed) {
        check(entity, from, to, allowed, CampaignStatus::canMoveTo, CampaignStatus::moveTo);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}: allowed={3}")
    @MethodSource("campaignTransitions")
    void campaignRecordChangesStatusOnlyAlongItsStateMachine(String entity, CampaignStatus from, CampaignStatus to,
            boolean allowed) {
        Campaign campaign = ModelFixtures.campaignIn(from);

        if (allowed) {
            assertThat(campaign.withStatus(to).status()).isEqualTo(to);
            assertThat(campaign.withStatus(to)).usingRecursiveComparison().ignoringFields("status").isEqualTo(campaign);
        } else {
            assertThatThrownBy(() -> campaign.withStatus(to)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openBatchStates")
    void callsABatchOpenUntilItSettles(BatchStatus status, boolean open) {
        assertThat(status.isOpen()).isEqualTo(open);
    }

    static Stream<Arguments> openBatchStates() {
        return Stream.of(Arguments.of(BatchStatus.PENDING, true), Arguments.of(BatchStatus.PROCESSING, true),
                Arguments.of(BatchStatus.SUBMITTED, true), Arguments.of(BatchStatus.COMPLETED, false),
                Arguments.of(BatchStatus.FAILED, false));
    }
}
