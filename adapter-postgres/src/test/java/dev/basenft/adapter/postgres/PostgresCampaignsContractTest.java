package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.CampaignsContract;
import dev.basenft.core.testing.contract.StorageFixture;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link CampaignsContract} on PostgreSQL, in a schema of this class's own. */
class PostgresCampaignsContractTest extends CampaignsContract {

    private static TestDatabase.Schema schema;

    @Override
    protected StorageFixture newStorage() {
        if (schema == null) {
            // A pool as large as the contracts' races, so their 8 threads really run at once.
            schema = TestDatabase.newSchema("campaigns_contract", 8);
        }
        return TestDatabase.fixture(schema.storage());
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
            schema = null;
        }
    }
}
