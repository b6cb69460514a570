package dev.basenft.core.model;

import java.util.List;

/**
 * A {@code mintBatch(batchKey, recipients)} call on a collection.
 *
 * @param collection never null
 * @param batchKey never null
 * @param recipients one or more; never null
 */
public record MintCall(Address collection, BatchKey batchKey, List<Address> recipients) {

    public MintCall {
        Require.notNull("collection", collection);
        Require.notNull("batchKey", batchKey);
        recipients = List.copyOf(Require.notNull("recipients", recipients));
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("recipients must not be empty");
        }
    }

    public static MintCall of(Address collection, Batch batch) {
        return new MintCall(collection, batch.key(), batch.recipients());
    }
}
