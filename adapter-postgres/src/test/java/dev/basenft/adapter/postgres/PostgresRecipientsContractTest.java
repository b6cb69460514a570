package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.RecipientsContract;
import dev.basenft.core.testing.contract.StorageFixture;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link RecipientsContract} on PostgreSQL, in a schema of this class's own. */
class PostgresRecipientsContractTest extends RecipientsContract {

    private static final ContractSchema SCHEMA = new ContractSchema("recipients_contract");

    @Override
    protected StorageFixture newStorage() {
        return SCHEMA.newStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
