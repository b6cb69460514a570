package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.StorageFixture;
import dev.basenft.core.testing.contract.WebhooksContract;

/** Runs {@link WebhooksContract} against {@link InMemoryStorage}. */
class InMemoryWebhooksContractTest extends WebhooksContract {

    @Override
    protected StorageFixture newStorage() {
        return InMemoryFixtures.storage();
    }
}
