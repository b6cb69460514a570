package dev.basenft.core.model;

/** An address that is malformed, has a bad EIP-55 checksum, or cannot be used where it was given. */
public final class InvalidAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidAddressException(String message) {
        super(message);
    }
}
