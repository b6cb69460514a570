package dev.basenft.adapter.redis;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.Batch;
import dev.basenft.core.model.BatchId;
import dev.basenft.core.model.CampaignId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Batches for queue tests: only their ids and runs matter to the queue. */
final class Batches {

    private Batches() {
    }

    static Batch batch() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1;
        return Batch.planned(new BatchId(UUID.randomUUID()), new CampaignId(UUID.randomUUID()), 0,
                List.of(Address.ofBytes(bytes)), Instant.parse("2026-01-01T00:00:00Z"));
    }

    static List<Batch> batches(int count) {
        return java.util.stream.Stream.generate(Batches::batch).limit(count).toList();
    }

    /** The batches of one new campaign, indexes 0 to {@code count} - 1. */
    static List<Batch> campaign(int count) {
        CampaignId campaign = new CampaignId(UUID.randomUUID());
        return java.util.stream.IntStream.range(0, count).mapToObj(index -> {
            Batch one = batch();
            return Batch.planned(one.id(), campaign, index, one.recipients(), one.updatedAt());
        }).toList();
    }
}
