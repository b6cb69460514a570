package dev.basenft.core.testing;

import dev.basenft.core.port.out.DistributionQueue;
import dev.basenft.core.testing.contract.DistributionQueueContract;
import java.time.Duration;

/** Runs {@link DistributionQueueContract} against {@link InMemoryDistributionQueue} on a {@link MutableClock}. */
class InMemoryDistributionQueueContractTest extends DistributionQueueContract {

    @Override
    protected QueueFixture newQueue(QueueSettings settings) {
        MutableClock clock = new MutableClock();
        InMemoryDistributionQueue queue = new InMemoryDistributionQueue(clock, settings.maxAttempts(), settings.backoff(),
                settings.lockDuration());
        return new QueueFixture() {
            @Override
            public DistributionQueue queue() {
                return queue;
            }

            @Override
            public void advance(Duration duration) {
                clock.advance(duration);
            }

            @Override
            public void simulateWorkerCrash() {
                clock.advance(settings.lockDuration());
            }

            @Override
            public void close() {
                queue.close();
            }
        };
    }
}
