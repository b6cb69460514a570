package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.IdempotencyRecordsContract;
import dev.basenft.core.testing.contract.StorageFixture;

/** Runs {@link IdempotencyRecordsContract} against {@link InMemoryStorage}. */
class InMemoryIdempotencyRecordsContractTest extends IdempotencyRecordsContract {

    @Override
    protected StorageFixture newStorage() {
        return InMemoryFixtures.storage();
    }
}
