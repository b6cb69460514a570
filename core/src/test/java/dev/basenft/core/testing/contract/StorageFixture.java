package dev.basenft.core.testing.contract;

import dev.basenft.core.model.Require;
import dev.basenft.core.port.out.Batches;
import dev.basenft.core.port.out.Campaigns;
import dev.basenft.core.port.out.IdempotencyRecords;
import dev.basenft.core.port.out.Recipients;
import dev.basenft.core.port.out.TransactionLedger;
import dev.basenft.core.port.out.Webhooks;

/**
 * The six storage ports of one store, as a storage contract test receives them. They must share their data the way
 * production wires them: a batch saved through {@link #batches()} moves recipients seen through {@link #recipients()}, and
 * the {@link #ledger()}'s write-ahead moves the batch. Immutable; the ports themselves must be thread-safe, as their
 * Javadoc says.
 *
 * @param campaigns never null
 * @param recipients never null
 * @param batches never null
 * @param ledger never null
 * @param idempotency never null
 * @param webhooks never null; sees the events {@code campaigns} and {@code batches} record
 */
public record StorageFixture(Campaigns campaigns, Recipients recipients, Batches batches, TransactionLedger ledger,
        IdempotencyRecords idempotency, Webhooks webhooks) {

    public StorageFixture {
        Require.notNull("campaigns", campaigns);
        Require.notNull("recipients", recipients);
        Require.notNull("batches", batches);
        Require.notNull("ledger", ledger);
        Require.notNull("idempotency", idempotency);
        Require.notNull("webhooks", webhooks);
    }
}
