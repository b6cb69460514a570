package dev.basenft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The named sets of {@link BatchLifecycle} and the {@link Batch} operations built on them. The expected sets are written out
 * here from the state machine's documentation, not read from the sets, so a wrong set fails; each set is also checked
 * against {@link BatchStatus#next()}, so the two cannot drift apart.
 */
class BatchLifecycleTest {

    private static final Instant LATER = ModelFixtures.T0.plusSeconds(60);
    private static final TxHash HASH = new TxHash("0x" + "ab".repeat(32));

    /** Each operation: its name, what it may start from, and the copy it makes of a batch. */
    private record Operation(String name, Set<BatchStatus> from, BiFunction<Batch, Instant, Batch> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Operation> OPERATIONS = List.of(
            new Operation("claim", BatchLifecycle.CLAIMABLE, Batch::claimed),
            new Operation("release", BatchLifecycle.RELEASABLE, Batch::released),
            new Operation("submit", BatchLifecycle.SUBMITTABLE, (b, at) -> b.submitted(7, at)),
            new Operation("complete", BatchLifecycle.COMPLETABLE, (b, at) -> b.completed(receiptFor(b), at)),
            new Operation("fail", BatchLifecycle.FAILABLE, (b, at) -> b.failed("reverted", at)),
            new Operation("retry", BatchLifecycle.RETRYABLE, Batch::requeued));

    static Stream<Arguments> documentedSets() {
        return Stream.of(
                Arguments.of("OPEN", BatchLifecycle.OPEN,
                        EnumSet.of(BatchStatus.PENDING, BatchStatus.PROCESSING, BatchStatus.SUBMITTED)),
                Arguments.of("CLAIMABLE", BatchLifecycle.CLAIMABLE,
                        EnumSet.of(BatchStatus.PENDING, BatchStatus.PROCESSING, BatchStatus.SUBMITTED)),
                Arguments.of("RELEASABLE", BatchLifecycle.RELEASABLE,
                        EnumSet.of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED)),
                Arguments.of("SUBMITTABLE", BatchLifecycle.SUBMITTABLE,
                        EnumSet.of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED)),
                Arguments.of("COMPLETABLE", BatchLifecycle.COMPLETABLE,
                        EnumSet.of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED)),
                Arguments.of("FAILABLE", BatchLifecycle.FAILABLE, EnumSet.of(BatchStatus.PROCESSING, BatchStatus.SUBMITTED)),
                Arguments.of("RETRYABLE", BatchLifecycle.RETRYABLE, EnumSet.of(BatchStatus.FAILED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedSets")
    void eachSetHoldsExactlyTheDocumentedStatuses(String name, Set<BatchStatus> actual, Set<BatchStatus> documented) {
        assertThat(actual).as(name).containsExactlyInAnyOrderElementsOf(documented);
        assertThatThrownBy(() -> actual.add(BatchStatus.COMPLETED)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSetsThatLeadToOneStatusAreExactlyTheStatusesTheStateMachineLetsMoveThere() {
        assertThat(BatchLifecycle.SUBMITTABLE).isEqualTo(canMoveTo(BatchStatus.SUBMITTED));
        assertThat(BatchLifecycle.COMPLETABLE).isEqualTo(canMoveTo(BatchStatus.COMPLETED));
        assertThat(BatchLifecycle.FAILABLE).isEqualTo(canMoveTo(BatchStatus.FAILED));
    }

    @Test
    void aClaimMovesOnlyPendingAndEveryClaimableStatusMayMoveWhereAClaimLeadsIt() {
        for (BatchStatus from : BatchLifecycle.CLAIMABLE) {
            BatchStatus to = BatchLifecycle.afterClaim(from);
            assertThat(to == from || from.canMoveTo(to)).as("claim %s -> %s", from, to).isTrue();
        }
        assertThat(BatchLifecycle.afterClaim(BatchStatus.PENDING)).isEqualTo(BatchStatus.PROCESSING);
        assertThat(BatchLifecycle.afterClaim(BatchStatus.SUBMITTED)).isEqualTo(BatchStatus.SUBMITTED);
    }

    @Test
    void onlyAReleaseBeforeSendingAndARetryMoveABatchBackToPending() {
        List<String> backToPending = new ArrayList<>();
        for (Operation operation : OPERATIONS) {
            for (BatchStatus from : operation.from()) {
                if (operation.apply().apply(batchIn(from), LATER).status() == BatchStatus.PENDING) {
                    backToPending.add(operation.name() + " from " + from);
                }
            }
        }

        assertThat(backToPending).containsExactlyInAnyOrder("release from PROCESSING", "retry from FAILED");
        // And the state machine allows no other way back.
        assertThat(canMoveTo(BatchStatus.PENDING)).containsExactlyInAnyOrder(BatchStatus.PROCESSING, BatchStatus.FAILED);
    }

    static Stream<Arguments> everyOperationFromEveryStatus() {
        List<Arguments> out = new ArrayList<>();
        for (Operation operation : OPERATIONS) {
            for (BatchStatus from : BatchStatus.values()) {
                out.add(Arguments.of(operation, from));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyOperationFromEveryStatus")
    void anOperationStartsOnlyFromItsSetAndMovesAlongTheStateMachine(Operation operation, BatchStatus from) {
        Batch batch = batchIn(from);
        if (operation.from().contains(from)) {
            Batch changed = operation.apply().apply(batch, LATER);
            assertThat(changed.status() == from || from.canMoveTo(changed.status()))
                    .as("%s moved %s to %s", operation, from, changed.status()).isTrue();
            assertThat(changed.updatedAt()).isEqualTo(LATER);
            assertThat(changed).usingRecursiveComparison()
                    .ignoringFields("status", "attempts", "run", "nonce", "gasUsed", "blockNumber", "error", "updatedAt")
                    .isEqualTo(batch);
        } else {
            assertThatThrownBy(() -> operation.apply().apply(batch, LATER)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void eachOperationChangesWhatItSaysAndNothingElse() {
        Batch pending = batchIn(BatchStatus.PENDING);
        Batch claimed = pending.claimed(LATER);
        assertThat(claimed.attempts()).isEqualTo(pending.attempts() + 1);
        assertThat(claimed.released(LATER).attempts()).isEqualTo(claimed.attempts());
        Batch submitted = claimed.submitted(42, LATER);
        assertThat(submitted.nonce()).contains(42L);

        Batch completed = withError(submitted, "old").completed(receiptFor(submitted), LATER);
        assertThat(completed.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(completed.gasUsed()).contains(21_000L);
        assertThat(completed.blockNumber()).contains(9L);
        assertThat(completed.error()).isEmpty();
        assertThat(completed.nonce()).contains(42L);

        Batch failed = submitted.failed("reverted", LATER);
        assertThat(failed.error()).contains("reverted");
        Batch requeued = failed.requeued(LATER);
        assertThat(requeued.status()).isEqualTo(BatchStatus.PENDING);
        assertThat(requeued.run()).isEqualTo(failed.run() + 1);
        assertThat(requeued.attempts()).isEqualTo(failed.attempts());
    }

    @Test
    void aReceiptCoversABatchWhenItNamesEveryRecipientExactlyOnce() {
        Batch batch = batchIn(BatchStatus.SUBMITTED);
        MintedToken alice = new MintedToken(ModelFixtures.ALICE, TokenId.of(1));
        MintedToken bob = new MintedToken(ModelFixtures.BOB, TokenId.of(2));

        assertThat(batch.tokensByRecipient(receipt(List.of(bob, alice))))
                .isEqualTo(Map.of(ModelFixtures.ALICE, alice, ModelFixtures.BOB, bob));
        assertThatThrownBy(() -> batch.tokensByRecipient(receipt(List.of(alice))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every one needs its token");
        assertThatThrownBy(() -> batch.tokensByRecipient(receipt(List.of(alice, bob, alice))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than once");
        MintedToken stranger = new MintedToken(Address.parse("0x" + "11".repeat(20)), TokenId.of(3));
        assertThatThrownBy(() -> batch.tokensByRecipient(receipt(List.of(alice, bob, stranger))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a recipient");
        MintReceipt reverted = new MintReceipt(HASH, false, 9, 21_000, List.of(), ChainFailure.PAUSED);
        assertThatThrownBy(() -> batch.tokensByRecipient(reverted))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only a successful receipt");
    }

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void aReceiptThatDoesNotCoverTheBatchCompletesNothing(BatchStatus status) {
        Batch batch = batchIn(status);
        MintReceipt partial = receipt(List.of(new MintedToken(ModelFixtures.ALICE, TokenId.of(1))));

        // Outside COMPLETABLE the transition is refused first; inside it, the receipt is.
        Class<? extends RuntimeException> expected = BatchLifecycle.COMPLETABLE.contains(status)
                ? IllegalArgumentException.class : IllegalTransitionException.class;
        assertThatThrownBy(() -> batch.completed(partial, LATER)).isInstanceOf(expected);
    }

    private static Set<BatchStatus> canMoveTo(BatchStatus target) {
        return Stream.of(BatchStatus.values()).filter(s -> s.canMoveTo(target))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(BatchStatus.class)));
    }

    private static Batch batchIn(BatchStatus status) {
        Batch planned = ModelFixtures.batch(List.of(ModelFixtures.ALICE, ModelFixtures.BOB));
        return new Batch(planned.id(), planned.campaignId(), planned.index(), planned.key(), planned.recipients(), status, 1,
                0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), planned.updatedAt());
    }

    private static Batch withError(Batch b, String error) {
        return new Batch(b.id(), b.campaignId(), b.index(), b.key(), b.recipients(), b.status(), b.attempts(), b.run(),
                b.nonce(), b.gasUsed(), b.blockNumber(), Optional.of(error), b.updatedAt());
    }

    private static MintReceipt receiptFor(Batch batch) {
        List<MintedToken> tokens = new ArrayList<>();
        for (int i = 0; i < batch.recipients().size(); i++) {
            tokens.add(new MintedToken(batch.recipients().get(i), TokenId.of(i + 1)));
        }
        return receipt(tokens);
    }

    private static MintReceipt receipt(List<MintedToken> tokens) {
        return new MintReceipt(HASH, true, 9, 21_000, tokens, ChainFailure.NONE);
    }
}
