package dev.basenft.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.port.out.DistributionJob;
import dev.basenft.core.port.out.JobOutcome;
import dev.basenft.core.testing.InMemoryDistributionQueue.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the in-memory queue shows beyond the contract: BullMQ-like states, exact backoff, refused stale finishes. */
class InMemoryDistributionQueueTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryDistributionQueue queue = new InMemoryDistributionQueue(clock, 3, Duration.ofSeconds(5),
            Duration.ofMinutes(3));
    private final Batch batch = Batch.planned(new BatchId(new UUID(0xb0L, 1)), new CampaignId(new UUID(0xc0L, 1)), 0,
            List.of(Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")), clock.instant());

    private DistributionJob take() throws InterruptedException {
        return queue.take(Duration.ZERO).orElseThrow();
    }

    @Test
    void movesJobsThroughTheStatesTheRunbookCounts() throws Exception {
        queue.enqueue(batch);
        assertThat(queue.counts()).containsEntry(State.WAITING, 1);

        DistributionJob job = take();
        assertThat(queue.counts()).containsEntry(State.ACTIVE, 1).containsEntry(State.WAITING, 0);

        queue.finish(job, new JobOutcome.Delay(Duration.ofSeconds(30), "breaker"));
        assertThat(queue.state(batch.jobId())).contains(State.DELAYED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(queue.state(batch.jobId())).contains(State.WAITING);

        queue.finish(take(), new JobOutcome.Done("ok"));
        assertThat(queue.counts()).isEqualTo(Map.of(State.WAITING, 0, State.DELAYED, 0, State.ACTIVE, 0,
                State.COMPLETED, 1, State.FAILED, 0));
    }

    @Test
    void backsOffExponentiallyAndKeepsTheLastError() throws Exception {
        queue.enqueue(batch);
        queue.finish(take(), new JobOutcome.Retry("timeout 1"));

        clock.advance(Duration.ofMillis(4_999));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        queue.finish(take(), new JobOutcome.Retry("timeout 2"));

        clock.advance(Duration.ofMillis(9_999));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        queue.finish(take(), new JobOutcome.Retry("timeout 3"));

        assertThat(queue.state(batch.jobId())).contains(State.FAILED);
        assertThat(queue.lastError(batch.jobId())).contains("timeout 3");
    }

    @Test
    void refusesTheFinishOfAWorkerWhoseLockLapsed() throws Exception {
        queue.enqueue(batch);
        DistributionJob stale = take();
        clock.advance(Duration.ofMinutes(3));
        DistributionJob current = take();

        assertThatThrownBy(() -> queue.finish(stale, new JobOutcome.Done("late")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not locked by " + stale.lockToken());
        queue.finish(current, new JobOutcome.Done("ok"));
        assertThat(queue.state(batch.jobId())).contains(State.COMPLETED);
        assertThatThrownBy(() -> queue.finish(current, new JobOutcome.Done("twice")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failsAJobAtOnceOnAFailedOutcome() throws Exception {
        queue.enqueue(batch);

        queue.finish(take(), new JobOutcome.Failed("Transaction reverted: contract is paused"));

        assertThat(queue.state(batch.jobId())).contains(State.FAILED);
        assertThat(queue.lastError(batch.jobId())).contains("Transaction reverted: contract is paused");
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> new InMemoryDistributionQueue(clock, 0, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new InMemoryDistributionQueue(clock, 1, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("backoff");
        assertThatThrownBy(() -> new InMemoryDistributionQueue(clock, 1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("lockDuration");
    }
}
