/**
 * In-ports: the use cases base-nft offers, one interface and one command record each. HTTP handlers, CLIs and embedding
 * services call these; the implementations live in {@code dev.basenft.core.service}.
 */
package dev.basenft.core.port.in;
