package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.BatchesContract;
import dev.basenft.core.testing.contract.StorageFixture;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link BatchesContract} on PostgreSQL, in a schema of this class's own. */
class PostgresBatchesContractTest extends BatchesContract {

    private static final ContractSchema SCHEMA = new ContractSchema("batches_contract");

    @Override
    protected StorageFixture newStorage() {
        return SCHEMA.newStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
