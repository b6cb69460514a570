package dev.basenft.adapter.postgres;

import dev.basenft.core.testing.contract.StorageFixture;

/**
 * The one schema a contract test class runs in: made on first use, dropped by the class's {@code @AfterAll}. Each
 * PostgreSQL contract test extends a different core contract, so they share this holder instead of a base class.
 * Not thread-safe: JUnit calls it from the test class's thread.
 */
final class ContractSchema {

    private final String label;
    private TestDatabase.Schema schema;

    ContractSchema(String label) {
        this.label = label;
    }

    StorageFixture newStorage() {
        if (schema == null) {
            // A pool as large as the contracts' races, so their 8 threads really run at once.
            schema = TestDatabase.newSchema(label, 8);
        }
        return TestDatabase.fixture(schema.storage());
    }

    void drop() {
        if (schema != null) {
            schema.close();
            schema = null;
        }
    }
}
