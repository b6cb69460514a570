/**
 * The domain of base-nft: campaigns, recipients and batches with their state machines, and the values the chain speaks in
 * (addresses, hashes, signed transactions, receipts). Records validate themselves in their constructors, so an instance that
 * exists is valid. No I/O here.
 */
package dev.basenft.core.model;
