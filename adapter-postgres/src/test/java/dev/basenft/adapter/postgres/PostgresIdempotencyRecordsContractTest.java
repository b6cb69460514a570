package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.IdempotencyRecordsContract;
import dev.basenft.core.testing.contract.StorageFixture;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link IdempotencyRecordsContract} on PostgreSQL, in a schema of this class's own. */
class PostgresIdempotencyRecordsContractTest extends IdempotencyRecordsContract {

    private static final ContractSchema SCHEMA = new ContractSchema("idempotencyrecords_contract");

    @Override
    protected StorageFixture newStorage() {
        return SCHEMA.newStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
