package dev.basenft.core.model;

import dev.basenft.core.internal.Hex;
import dev.basenft.core.internal.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An Ethereum account address, always held in its EIP-55 checksummed form.
 *
 * <p>{@link #parse(String)} accepts all-lower-case or all-upper-case hex, and mixed case only when it is a correct EIP-55
 * checksum: a mixed-case address with a wrong checksum is almost always a typo, and minting to it would lose the token.
 *
 * @param value the checksummed {@code 0x…} form; never null
 */
public record Address(String value) implements Comparable<Address> {

    /** The zero address, which can hold no token. */
    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    public Address {
        if (value == null) {
            throw new InvalidAddressException("address must not be null");
        }
        if (!value.equals(checksum(value))) {
            throw new InvalidAddressException("address is not in EIP-55 form: " + value + " (use Address.parse)");
        }
    }

    /**
     * Parses user input into an address.
     *
     * @param text {@code 0x} and 40 hex digits; may have surrounding whitespace
     * @return the address in checksummed form
     * @throws InvalidAddressException naming what is wrong: null, length, prefix, a non-hex character, or a bad checksum
     */
    public static Address parse(String text) {
        if (text == null) {
            throw new InvalidAddressException("address must not be null");
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("0x") && !trimmed.startsWith("0X")) {
            throw new InvalidAddressException("address must start with 0x: '" + trimmed + "'");
        }
        if (trimmed.length() != 42) {
            throw new InvalidAddressException(
                    "address must be 0x and 40 hex digits, got " + (trimmed.length() - 2) + " digits: '" + trimmed + "'");
        }
        String digits = trimmed.substring(2);
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                throw new InvalidAddressException("address has a non-hex character '" + digits.charAt(i)
                        + "' at position " + (i + 3) + ": '" + trimmed + "'");
            }
        }
        String checksummed = checksum("0x" + digits);
        boolean uniformCase = digits.equals(digits.toLowerCase(Locale.ROOT)) || digits.equals(digits.toUpperCase(Locale.ROOT));
        if (!uniformCase && !checksummed.equals("0x" + digits)) {
            throw new InvalidAddressException("address has a bad EIP-55 checksum (mixed case must match): '" + trimmed
                    + "'; did you mean " + checksummed + "?");
        }
        return new Address(checksummed);
    }

    /** Builds an address from its 20 raw bytes. */
    public static Address ofBytes(byte[] twentyBytes) {
        if (twentyBytes == null || twentyBytes.length != 20) {
            throw new InvalidAddressException("an address has exactly 20 bytes");
        }
        return new Address(checksum(Hex.encode(twentyBytes)));
    }

    /** The address as lower-case hex, the form JSON-RPC and databases compare on. */
    public String lowerCase() {
        return value.toLowerCase(Locale.ROOT);
    }

    /** The 20 raw bytes. */
    public byte[] bytes() {
        return Hex.decode(value);
    }

    /** True for {@code 0x000…0}. */
    public boolean isZero() {
        return equals(ZERO);
    }

    @Override
    public int compareTo(Address other) {
        return lowerCase().compareTo(other.lowerCase());
    }

    @Override
    public String toString() {
        return value;
    }

    private static String checksum(String address) {
        if (address.length() != 42 || !address.startsWith("0x")) {
            return "";
        }
        String lower = address.substring(2).toLowerCase(Locale.ROOT);
        byte[] hash = Keccak256.hash(lower.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }
}
