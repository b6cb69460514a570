package dev.basenft.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Fees;
import dev.basenft.core.model.Wei;
import dev.basenft.core.port.out.NewBlocks;
import dev.basenft.core.testing.FakeChain;
import dev.basenft.core.testing.ForwardingChain;
import dev.basenft.core.testing.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The fees a waiting batch signs with: read from the node once per block, never older than about a block. */
class FeesOfTheBlockTest {

    private final FakeChain fake = new FakeChain();
    private final AtomicInteger reads = new AtomicInteger();
    private final ForwardingChain counted = new ForwardingChain(fake) {
        @Override
        public Fees currentFees() {
            reads.incrementAndGet();
            return super.currentFees();
        }
    };
    private final AtomicLong head = new AtomicLong(7);
    private final NewBlocks news = new NewBlocks() {
        @Override
        public long head() {
            return head.get();
        }

        @Override
        public long awaitAbove(long seen, Duration atMost) {
            return head.get();
        }
    };
    private final MutableClock clock = new MutableClock();
    private final FeesOfTheBlock fees = new FeesOfTheBlock(counted, news, clock, Duration.ofSeconds(2));

    @Test
    void batchesSignedWithinOneBlockShareOneRead() {
        Fees first = fees.now();
        clock.advance(Duration.ofMillis(500));
        Fees second = fees.now();

        assertThat(second).isEqualTo(first);
        assertThat(reads).hasValue(1);
    }

    @Test
    void aNewBlockIsReadAgainWithItsBaseFee() {
        Fees before = fees.now();
        fake.setBaseFee(new Wei(BigInteger.valueOf(3_000_000_000L)));
        head.incrementAndGet();

        Fees after = fees.now();

        assertThat(reads).hasValue(2);
        assertThat(after.maxFeePerGas().isGreaterThan(before.maxFeePerGas())).as("the new block's base fee").isTrue();
    }

    @Test
    void withoutNewsOfBlocksAReadIsKeptForAboutABlockOnly() {
        head.set(-1);
        fees.now();
        clock.advance(Duration.ofMillis(1_900));
        fees.now();
        assertThat(reads).as("within the maximum age").hasValue(1);

        clock.advance(Duration.ofMillis(200));
        fees.now();

        assertThat(reads).as("past it").hasValue(2);
    }

    @Test
    void aNonPositiveMaximumAgeIsRefused() {
        assertThatThrownBy(() -> new FeesOfTheBlock(counted, news, clock, Duration.ZERO)).hasMessageContaining("maxAge");
    }
}
