package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.breaker.CircuitBreaker;
import dev.basenft.core.breaker.CircuitBreakerConfig;
import dev.basenft.core.breaker.CircuitState;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.Campaign;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.in.ProcessBatchUseCase.BatchOutcome;
import dev.basenft.core.port.in.ProcessBatchUseCase.ProcessBatchCommand;
import dev.basenft.core.port.out.Claim;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever branch {@link BatchProcessor#process} takes, it leaks neither the batch's lease nor the circuit breaker's
 * half-open trial. Each scenario drives one branch with the breaker half-open, so the call under test holds the single
 * trial, and then checks that the trial is free again unless the chain gave a verdict, and that the lease is this worker's
 * no more (except after an exception, where it is left to lapse on purpose).
 */
class BatchProcessorExitTest {

    private final LogCapture log = LogCapture.worker();

    @AfterEach
    void detachLog() {
        log.close();
    }

    /** What the call under test processes, and what it must end in. */
    private record Run(Batch batch, ProcessBatchCommand command, CrashInjector crash, Class<?> expected,
            boolean leaseLeftToLapse) {

        static Run of(Batch batch, Class<?> expected) {
            return new Run(batch, Harness.firstAttempt(batch), CrashInjector.NONE, expected, false);
        }
    }

    private record Scenario(String name, Supplier<Harness> harness, Function<Harness, Run> setUp) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> branches() {
        return Stream.of(
                new Scenario("mints", Harness::new, h -> Run.of(single(h, 2), BatchOutcome.Completed.class)),
                new Scenario("transport failure, attempts left", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.failNextCalls(1);
                    return Run.of(batch, BatchOutcome.RetryLater.class);
                }),
                new Scenario("transport failure on the last attempt", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.failNextCalls(1);
                    return new Run(batch, new ProcessBatchCommand(batch.id(), 2, 3), CrashInjector.NONE,
                            BatchOutcome.Delayed.class, false);
                }),
                new Scenario("node refuses a read while the transaction may land", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.automine(false);
                    h.process(batch);
                    h.chain.refuseNextCalls(1);
                    return Run.of(batch, BatchOutcome.Delayed.class);
                }),
                new Scenario("fees above the ceiling", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.setBaseFee(Wei.gwei(30));
                    return Run.of(batch, BatchOutcome.Delayed.class);
                }),
                new Scenario("minter short of funds", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.setBalance(h.chain.minter(), Wei.gwei(1));
                    return Run.of(batch, BatchOutcome.Delayed.class);
                }),
                new Scenario("in-flight cap reached",
                        () -> new Harness(DistributionSettings.builder().maxInFlight(1).batchSize(1).build()), h -> {
                    List<Batch> batches = h.distribute(h.campaignWithContract(2));
                    h.chain.automine(false);
                    assertThat(h.process(batches.get(0))).isInstanceOf(BatchOutcome.Delayed.class);
                    return Run.of(batches.get(1), BatchOutcome.Delayed.class);
                }),
                new Scenario("no receipt in time", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.automine(false);
                    return Run.of(batch, BatchOutcome.Delayed.class);
                }),
                new Scenario("stuck, and its replacement would cost above the ceiling", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    h.chain.automine(false);
                    assertThat(h.process(batch)).isInstanceOf(BatchOutcome.Delayed.class);
                    h.clock.advance(h.settings.stuckAfter());
                    h.chain.setBaseFee(Wei.gwei(30));
                    return Run.of(batch, BatchOutcome.Delayed.class);
                }),
                new Scenario("nonce ahead of the node", () -> new Harness(DistributionSettings.builder().batchSize(1).build()),
                        h -> {
                    List<Batch> batches = h.distribute(h.campaignWithContract(2));
                    h.chain.rejectNonceGaps(true);
                    try {
                        h.worker(CrashInjector.once("chain.broadcast", CrashInjector.Phase.BEFORE))
                                .process(Harness.firstAttempt(batches.get(0)));
                    } catch (SimulatedCrash expected) {
                        // batch 0 holds nonce 0 unsent, so batch 1's nonce 1 is a gap for the node
                    }
                    return Run.of(batches.get(1), BatchOutcome.Delayed.class);
                }),
                new Scenario("reverted on a paused collection", Harness::new, h -> {
                    Campaign campaign = h.campaignWithContract(2);
                    Batch batch = h.distribute(campaign).getFirst();
                    h.chain.pause(h.collection(campaign));
                    return Run.of(batch, BatchOutcome.Failed.class);
                }),
                new Scenario("leased by another worker", Harness::new, h -> {
                    Batch batch = single(h, 1);
                    h.storage.batches().claim(new Claim(batch.id(), "someone-else", h.clock.instant(),
                            h.clock.instant().plus(h.settings.lease())));
                    return Run.of(batch, BatchOutcome.Delayed.class);
                }),
                new Scenario("lease taken over mid-run", Harness::new, h -> {
                    Batch batch = single(h, 2);
                    CrashInjector thief = (operation, phase) -> {
                        if (operation.equals("chain.quoteMint") && phase == CrashInjector.Phase.AFTER
                                && h.storage.leaseHolder(batch.id()).filter("thief"::equals).isEmpty()) {
                            h.clock.advance(h.settings.lease().plusSeconds(1));
                            assertThat(h.storage.batches().claim(new Claim(batch.id(), "thief", h.clock.instant(),
                                    h.clock.instant().plus(h.settings.lease())))).isPresent();
                        }
                    };
                    return new Run(batch, Harness.firstAttempt(batch), thief, BatchOutcome.Delayed.class, false);
                }),
                new Scenario("store down at the claim", Harness::new, h -> {
                    Batch batch = single(h, 1);
                    return new Run(batch, Harness.firstAttempt(batch), failing("batches.claim"), IllegalStateException.class,
                            false);
                }),
                new Scenario("store down after the claim", Harness::new, h -> {
                    Batch batch = single(h, 1);
                    return new Run(batch, Harness.firstAttempt(batch), failing("ledger.writeAhead"),
                            IllegalStateException.class, true);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("branches")
    void givesBackTheLeaseAndTheHalfOpenTrialOnEveryBranch(Scenario scenario) {
        Harness h = scenario.harness().get();
        CircuitBreaker breaker = halfOpen(h);
        Run run = scenario.setUp().apply(h);
        BatchProcessor worker = h.worker(run.crash(), breaker);

        Object result;
        try {
            result = worker.process(run.command());
        } catch (RuntimeException e) {
            result = e;
        }

        assertThat(result).as("the branch under test").isInstanceOf(run.expected());
        if (breaker.state() == CircuitState.HALF_OPEN) {
            assertThat(breaker.tryAcquire().granted()).as("no verdict, so the trial is free again").isTrue();
        }
        Optional<String> ours = h.storage.leaseHolder(run.batch().id()).filter(holder -> holder.startsWith("worker-"));
        assertThat(ours.isPresent()).as("lease still held by %s", ours).isEqualTo(run.leaseLeftToLapse());
    }

    private static CircuitBreaker halfOpen(Harness h) {
        CircuitBreaker breaker = new CircuitBreaker(CircuitBreakerConfig.DEFAULTS, h.clock);
        for (int i = 0; i < CircuitBreakerConfig.DEFAULTS.failureThreshold(); i++) {
            breaker.recordFailure();
        }
        h.clock.advance(CircuitBreakerConfig.DEFAULTS.cooldown());
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        return breaker;
    }

    private static Batch single(Harness h, int recipients) {
        List<Batch> batches = h.distribute(h.campaignWithContract(recipients));
        assertThat(batches).hasSize(1);
        return batches.getFirst();
    }

    private static CrashInjector failing(String operation) {
        return (op, phase) -> {
            if (op.equals(operation) && phase == CrashInjector.Phase.BEFORE) {
                throw new IllegalStateException("connection refused: database down");
            }
        };
    }
}
