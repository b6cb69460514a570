package dev.basenft.planted.core.model;

/** A clean model type. */
public record Amount(long value) {
}
