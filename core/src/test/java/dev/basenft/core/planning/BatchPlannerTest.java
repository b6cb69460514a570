package dev.basenft.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchKey;
import dev.basenft.core.model.BatchStatus;
import dev.basenft.core.model.CampaignId;
import dev.basenft.core.testing.SequentialIds;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    private static final CampaignId CAMPAIGN = new CampaignId(UUID.fromString("c0000000-0000-0000-0000-000000000009"));
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static List<Address> addresses(int count) {
        List<Address> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(Address.ofBytes(ByteBuffer.allocate(20).putInt(16, i).array()));
        }
        return out;
    }

    @Test
    void cutsRecipientsIntoFullBatchesAndARemainderInOrder() {
        List<Address> recipients = addresses(450);

        List<Batch> batches = new BatchPlanner(200, new SequentialIds()).plan(CAMPAIGN, 3, recipients, NOW);

        assertThat(batches).extracting(b -> b.recipients().size()).containsExactly(200, 200, 50);
        assertThat(batches).extracting(Batch::index).containsExactly(3, 4, 5);
        assertThat(batches.stream().flatMap(b -> b.recipients().stream()).toList()).isEqualTo(recipients);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.key()).isEqualTo(BatchKey.derive(CAMPAIGN, b.index()));
            assertThat(b.status()).isEqualTo(BatchStatus.PENDING);
            assertThat(b.campaignId()).isEqualTo(CAMPAIGN);
            assertThat(b.attempts()).isZero();
            assertThat(b.run()).isZero();
            assertThat(b.updatedAt()).isEqualTo(NOW);
        });
        assertThat(batches).extracting(Batch::id).doesNotHaveDuplicates();
    }

    @Test
    void makesOneBatchForExactlyOneBatchfulAndNoneForNobody() {
        BatchPlanner planner = new BatchPlanner(200, new SequentialIds());

        assertThat(planner.plan(CAMPAIGN, 0, addresses(200), NOW)).hasSize(1);
        assertThat(planner.plan(CAMPAIGN, 0, List.of(), NOW)).isEmpty();
        assertThat(new BatchPlanner(1, new SequentialIds()).plan(CAMPAIGN, 0, addresses(3), NOW)).hasSize(3);
    }

    @Test
    void plansTheSameKeysWhateverTheIdsAre() {
        List<Batch> first = new BatchPlanner(2, new SequentialIds()).plan(CAMPAIGN, 0, addresses(5), NOW);
        List<Batch> again = new BatchPlanner(2, new SequentialIds()).plan(CAMPAIGN, 0, addresses(5), NOW);

        assertThat(again).extracting(Batch::key).isEqualTo(first.stream().map(Batch::key).toList());
    }

    @Test
    void refusesRepeatedAddressesAndBadSizesNamingThem() {
        BatchPlanner planner = new BatchPlanner(10, new SequentialIds());
        List<Address> repeated = new ArrayList<>(addresses(3));
        repeated.add(repeated.getFirst());

        assertThatThrownBy(() -> planner.plan(CAMPAIGN, 0, repeated, NOW)).hasMessageContaining("must not repeat");
        assertThatThrownBy(() -> new BatchPlanner(0, new SequentialIds()))
                .hasMessage("batchSize must be between 1 and 349, got 0");
        assertThatThrownBy(() -> new BatchPlanner(350, new SequentialIds()))
                .hasMessage("batchSize must be between 1 and 349, got 350");
        assertThatThrownBy(() -> planner.plan(null, 0, addresses(1), NOW)).hasMessage("campaign must not be null");
    }
}
