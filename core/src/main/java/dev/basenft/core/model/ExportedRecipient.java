package dev.basenft.core.model;

import java.util.Optional;

/**
 * One line of a campaign's results export: a recipient and the index of the batch it was planned into. Immutable and
 * thread-safe.
 *
 * @param recipient never null
 * @param batchIndex the index of its batch; empty while it is not planned yet. Never null.
 */
public record ExportedRecipient(Recipient recipient, Optional<Integer> batchIndex) {

    public ExportedRecipient {
        Require.notNull("recipient", recipient);
        Require.notNull("batchIndex", batchIndex);
    }
}
