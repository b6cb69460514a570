package dev.basenft.planted.core.port;

/** A clean port. */
public interface Port {
    void call();
}
