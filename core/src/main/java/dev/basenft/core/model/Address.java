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
 * Hex digits are ASCII only: Unicode lookalikes (Arabic-Indic, fullwidth, …) are refused, never read as digits. Making an
 * address from text or bytes costs one Keccak-256, however it is made.
 *
 * @param value the checksummed {@code 0x…} form; never null
 */
public record Address(String value) implements Comparable<Address> {

    /**
     * The checksummed form {@link #parse} or {@link #ofBytes} has just computed on this thread, so the constructor can take
     * it without hashing a second time: it is compared by identity, and only this class's own {@link #checksum} output is
     * ever put here, so a match proves the value valid. Declared before {@link #ZERO}, whose construction reads it.
     */
    private static final ThreadLocal<String> JUST_CHECKSUMMED = new ThreadLocal<>();

    /** The zero address, which can hold no token. */
    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    private static final int LENGTH = 42;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param value the EIP-55 checksummed form; anything else (lower case, a wrong checksum, non-hex) is refused, see
     *     {@link #parse(String)} for user input
     * @throws InvalidAddressException if {@code value} is null or not checksummed
     */
    public Address {
        if (value == null) {
            throw new InvalidAddressException("address must not be null");
        }
        if (value != JUST_CHECKSUMMED.get() && !isChecksummed(value)) {
            throw new InvalidAddressException("address is not in EIP-55 form: " + value + " (use Address.parse)");
        }
    }

    /**
     * Parses user input into an address. Hashes once (the checksum), and accepts only ASCII hex digits: lookalikes that
     * {@link Character#digit} would take, such as Arabic-Indic or fullwidth digits, are refused.
     *
     * @param text {@code 0x} and 40 hex digits; may have surrounding whitespace
     * @return the address in checksummed form
     * @throws InvalidAddressException naming what is wrong: null, length, prefix, a non-hex or non-ASCII character, or a
     *     bad checksum
     */
    public static Address parse(String text) {
        if (text == null) {
            throw new InvalidAddressException("address must not be null");
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("0x") && !trimmed.startsWith("0X")) {
            throw new InvalidAddressException("address must start with 0x: '" + trimmed + "'");
        }
        if (trimmed.length() != LENGTH) {
            throw new InvalidAddressException(
                    "address must be 0x and 40 hex digits, got " + (trimmed.length() - 2) + " digits: '" + trimmed + "'");
        }
        byte[] work = workspace();
        boolean lower = false;
        boolean upper = false;
        for (int i = 2; i < LENGTH; i++) {
            char c = trimmed.charAt(i);
            if (c >= '0' && c <= '9') {
                work[i] = (byte) c;
            } else if (c >= 'a' && c <= 'f') {
                work[i] = (byte) c;
                lower = true;
            } else if (c >= 'A' && c <= 'F') {
                work[i] = (byte) (c + ('a' - 'A'));
                upper = true;
            } else {
                throw notHex(trimmed, i);
            }
        }
        String checksummed = checksum(work);
        // All one case carries no checksum; mixed case is a checksum, and a wrong one is almost always a typo.
        if (lower && upper && !trimmed.regionMatches(2, checksummed, 2, LENGTH - 2)) {
            throw new InvalidAddressException("address has a bad EIP-55 checksum (mixed case must match): '" + trimmed
                    + "'; did you mean " + checksummed + "?");
        }
        return trusted(checksummed);
    }

    /** Builds an address from its 20 raw bytes. */
    public static Address ofBytes(byte[] twentyBytes) {
        if (twentyBytes == null || twentyBytes.length != 20) {
            throw new InvalidAddressException("an address has exactly 20 bytes");
        }
        byte[] work = workspace();
        for (int i = 0; i < 20; i++) {
            work[2 + 2 * i] = HEX_DIGITS[(twentyBytes[i] >> 4) & 0xf];
            work[3 + 2 * i] = HEX_DIGITS[twentyBytes[i] & 0xf];
        }
        return trusted(checksum(work));
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

    /** Orders as {@link #lowerCase()} does, without making the lower-case strings. */
    @Override
    public int compareTo(Address other) {
        for (int i = 2; i < LENGTH; i++) {
            int difference = lower(value.charAt(i)) - lower(other.value.charAt(i));
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return value;
    }

    private static char lower(char hexDigit) {
        return hexDigit >= 'A' && hexDigit <= 'F' ? (char) (hexDigit + ('a' - 'A')) : hexDigit;
    }

    private static Address trusted(String checksummed) {
        JUST_CHECKSUMMED.set(checksummed);
        try {
            return new Address(checksummed);
        } finally {
            JUST_CHECKSUMMED.set(null);
        }
    }

    /** Whether {@code value} is exactly the EIP-55 form: {@code 0x}, 40 ASCII hex digits, the checksum's capitals. */
    private static boolean isChecksummed(String value) {
        if (value.length() != LENGTH || !value.startsWith("0x")) {
            return false;
        }
        byte[] work = workspace();
        for (int i = 2; i < LENGTH; i++) {
            char c = lower(value.charAt(i));
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
            work[i] = (byte) c;
        }
        return value.equals(checksum(work));
    }

    /** Room for {@code 0x}, the 40 digits, and the 32-byte hash after them, so a checksum allocates nothing more. */
    private static byte[] workspace() {
        byte[] work = new byte[LENGTH + Keccak256.DIGEST_BYTES];
        work[0] = '0';
        work[1] = 'x';
        return work;
    }

    /**
     * EIP-55: hashes the 40 lower-case digits at {@code work[2..42)} and capitalises each letter whose hash nibble is 8 or
     * more, in place; answers {@code work[0..42)} as a string. One Keccak-256, written into {@code work[42..74)}.
     */
    private static String checksum(byte[] work) {
        Keccak256.hash(work, 2, LENGTH - 2, work, LENGTH);
        for (int i = 0; i < LENGTH - 2; i++) {
            int nibble = (work[LENGTH + i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            if (work[2 + i] >= 'a' && nibble >= 8) {
                work[2 + i] -= 'a' - 'A';
            }
        }
        return new String(work, 0, LENGTH, StandardCharsets.ISO_8859_1);
    }

    /** Names the character at {@code index} of {@code trimmed} and its 1-based position, saying when it is not ASCII. */
    private static InvalidAddressException notHex(String trimmed, int index) {
        int codePoint = trimmed.codePointAt(index);
        String shown = new String(Character.toChars(codePoint));
        if (codePoint < 0x80) {
            return new InvalidAddressException("address has a non-hex character '" + shown + "' at position " + (index + 1)
                    + ": '" + trimmed + "'");
        }
        return new InvalidAddressException(String.format(Locale.ROOT,
                "address has a non-ASCII character '%s' (U+%04X) at position %d; only the ASCII hex digits 0-9, a-f and A-F"
                        + " are accepted, not lookalikes: '%s'", shown, codePoint, index + 1, trimmed));
    }
}
