/**
 * base-nft core: the rules of exactly-once NFT distribution, with no dependency beyond the JDK and jakarta.inject.
 */
package dev.basenft.core;
