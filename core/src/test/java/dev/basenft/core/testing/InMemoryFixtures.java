package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.StorageFixture;

/** Builds the contract fixtures of the in-memory ports. */
final class InMemoryFixtures {

    private InMemoryFixtures() {
    }

    /** The five ports of one fresh {@link InMemoryStorage}. */
    static StorageFixture storage() {
        InMemoryStorage storage = new InMemoryStorage(new MutableClock());
        return new StorageFixture(storage.campaigns(), storage.recipients(), storage.batches(), storage.ledger(),
                storage.idempotency(), storage.webhooks());
    }
}
