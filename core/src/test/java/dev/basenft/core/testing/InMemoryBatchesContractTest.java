package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.BatchesContract;
import dev.basenft.core.testing.contract.StorageFixture;

/** Runs {@link BatchesContract} against {@link InMemoryStorage}. */
class InMemoryBatchesContractTest extends BatchesContract {

    @Override
    protected StorageFixture newStorage() {
        return InMemoryFixtures.storage();
    }
}
