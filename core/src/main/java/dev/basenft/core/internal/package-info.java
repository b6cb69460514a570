/**
 * Helpers core needs but does not publish: Keccak-256 and hex. Not part of the API; may change without notice.
 */
package dev.basenft.core.internal;
