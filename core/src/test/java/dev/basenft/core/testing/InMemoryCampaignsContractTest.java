package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.CampaignsContract;
import dev.basenft.core.testing.contract.StorageFixture;

/** Runs {@link CampaignsContract} against {@link InMemoryStorage}. */
class InMemoryCampaignsContractTest extends CampaignsContract {

    @Override
    protected StorageFixture newStorage() {
        return InMemoryFixtures.storage();
    }
}
