package dev.basenft.core.testing;

import dev.basenft.core.testing.contract.TransactionLedgerContract;
import dev.basenft.core.testing.contract.StorageFixture;

/** Runs {@link TransactionLedgerContract} against {@link InMemoryStorage}. */
class InMemoryTransactionLedgerContractTest extends TransactionLedgerContract {

    @Override
    protected StorageFixture newStorage() {
        return InMemoryFixtures.storage();
    }
}
