package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.RecipientsContract;
import dev.basenft.core.testing.contract.StorageFixture;

/** Runs {@link RecipientsContract} against {@link InMemoryStorage}. */
class InMemoryRecipientsContractTest extends RecipientsContract {

    @Override
    protected StorageFixture newStorage() {
        return InMemoryFixtures.storage();
    }
}
