package dev.basenft.adapter.base.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.ChainUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedReadsTest {

    private static final int CALLERS = 8;

    private final SharedReads<String, Integer> reads = new SharedReads<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> callers = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS, runnable -> {
        Thread thread = new Thread(runnable);
        synchronized (callers) {
            callers.add(thread);
        }
        return thread;
    });

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void callersAskingWhileAReadIsOnItsWayTakeItsAnswerAndTheNextCallerReadsAgain() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        List<Future<Integer>> answers = askAtOnce("fees", () -> {
            awaitTheOthersWaiting();
            await(answer);
            return sent.incrementAndGet() * 10;
        });
        answer.countDown();

        for (Future<Integer> each : answers) {
            assertThat(each.get(10, TimeUnit.SECONDS)).isEqualTo(10);
        }
        assertThat(sent).as("reads sent for %s callers asking at once", CALLERS).hasValue(1);

        // Nothing is kept: a caller after the answer reads afresh.
        assertThat(reads.read("fees", () -> sent.incrementAndGet() * 10)).isEqualTo(20);
    }

    @Test
    void aFailedReadFailsEveryCallerThatWaitedForItAndTheNextCallerReadsAgain() throws Exception {
        ChainUnavailableException down = new ChainUnavailableException("no endpoint answered");
        List<Future<Integer>> answers = askAtOnce("fees", () -> {
            awaitTheOthersWaiting();
            sent.incrementAndGet();
            throw down;
        });

        for (Future<Integer> each : answers) {
            assertThatThrownBy(() -> each.get(10, TimeUnit.SECONDS)).hasCause(down);
        }
        assertThat(sent).hasValue(1);
        assertThat(reads.read("fees", () -> 7)).isEqualTo(7);
    }

    @Test
    void readsOfDifferentKeysDoNotWaitForEachOther() {
        CountDownLatch never = new CountDownLatch(1);
        threads.submit(() -> reads.read("busy", () -> {
            await(never);
            return 1;
        }));

        assertThat(reads.read("other", () -> 2)).isEqualTo(2);
        never.countDown();
    }

    /** Every caller asks for {@code key} with {@code read}; the first to ask runs it. */
    private List<Future<Integer>> askAtOnce(String key, Supplier<Integer> read) {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            answers.add(threads.submit(() -> reads.read(key, read)));
        }
        return answers;
    }

    /** Until every other caller is parked, waiting for the read of the one running this. */
    private void awaitTheOthersWaiting() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            long parked;
            synchronized (callers) {
                parked = callers.stream().filter(t -> t != Thread.currentThread())
                        .filter(t -> t.getState() == Thread.State.WAITING).count();
            }
            if (parked == CALLERS - 1) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the other callers did not all wait for the read on its way");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
