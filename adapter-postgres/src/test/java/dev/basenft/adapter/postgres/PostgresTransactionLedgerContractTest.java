package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.TransactionLedgerContract;
import dev.basenft.core.testing.contract.StorageFixture;
import org.junit.jupiter.api.AfterAll;

/** Runs core's {@link TransactionLedgerContract} on PostgreSQL, in a schema of this class's own. */
class PostgresTransactionLedgerContractTest extends TransactionLedgerContract {

    private static final ContractSchema SCHEMA = new ContractSchema("transactionledger_contract");

    @Override
    protected StorageFixture newStorage() {
        return SCHEMA.newStorage();
    }

    @AfterAll
    static void dropSchema() {
        SCHEMA.drop();
    }
}
