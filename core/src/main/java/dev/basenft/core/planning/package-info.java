/** Batch planning: recipients into fixed batches with deterministic on-chain keys. */
package dev.basenft.core.planning;
