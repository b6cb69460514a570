package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.CampaignsContract;
import dev.basenft.core.testing.contract.StorageFixture;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link CampaignsContract} on PostgreSQL, in a schema of this class's own. */
class PostgresCampaignsContractTest extends CampaignsContract {

    private static final ContractSchema SCHEMA = new ContractSchema("campaigns_contract");

    @Override
    protected StorageFixture newStorage() {
        return SCHEMA.newStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
