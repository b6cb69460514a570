package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.StorageFixture;
import dev.basenft.core.testing.contract.WebhooksContract;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link WebhooksContract} on PostgreSQL, in a schema of this class's own. */
class PostgresWebhooksContractTest extends WebhooksContract {

    private static final ContractSchema SCHEMA = new ContractSchema("webhooks_contract");

    @Override
    protected StorageFixture newStorage() {
        return SCHEMA.newStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
