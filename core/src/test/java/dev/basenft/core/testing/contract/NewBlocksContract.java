package dev.basenft.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basenft.core.port.out.NewBlocks;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link NewBlocks} as receipt waiters rely on it: a known newer block answers at once, a block made during
 * a wait ends the wait, and with no news the wait ends when the caller's time is up. Implement {@link #newBlocks()}.
 */
public abstract class NewBlocksContract {

    /** What a test needs: the source, and a way to make the chain build one block. Closed after each test. */
    public interface Fixture extends AutoCloseable {
        NewBlocks blocks();

        /** Builds one block on the chain the source watches. */
        void mineBlock();

        /** The chain's head, asked of the chain itself. */
        long chainHead();

        /** Waits until the source is ready to hear of blocks (a subscription is up); at once when nothing to wait for. */
        default void ready() {
        }

        @Override
        default void close() {
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private Fixture fixture;

    /** @return a fresh source on a chain that makes blocks only when {@link Fixture#mineBlock()} is called */
    protected abstract Fixture newBlocks();

    @BeforeEach
    final void open() {
        fixture = newBlocks();
        fixture.ready();
    }

    @AfterEach
    final void close() {
        fixture.close();
    }

    @Test
    void aBlockAboveWhatTheCallerSawIsAnsweredAtOnce() {
        fixture.mineBlock();
        long head = fixture.chainHead();
        long heard = fixture.blocks().awaitAbove(head - 1, PATIENCE);

        assertThat(heard).isEqualTo(head);
        assertThat(fixture.blocks().head()).isEqualTo(head);
    }

    @Test
    void aBlockMadeDuringTheWaitEndsIt() throws InterruptedException {
        long head = fixture.chainHead();
        fixture.blocks().awaitAbove(head - 1, PATIENCE);
        Thread miner = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            fixture.mineBlock();
        });

        long heard = fixture.blocks().awaitAbove(head, PATIENCE);

        miner.join();
        assertThat(heard).isEqualTo(head + 1);
    }

    @Test
    void withNoNewBlockTheWaitEndsWhenTheCallersTimeIsUp() {
        long head = fixture.chainHead();
        fixture.blocks().awaitAbove(head - 1, PATIENCE);
        long start = System.nanoTime();

        long heard = fixture.blocks().awaitAbove(head, Duration.ofMillis(200));

        assertThat(heard).isLessThanOrEqualTo(head);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
