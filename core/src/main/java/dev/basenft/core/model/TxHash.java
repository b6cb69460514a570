package dev.basenft.core.model;

import dev.basenft.core.internal.Hex;
import java.util.Locale;

/**
 * A transaction hash, held as lower-case {@code 0x} and 64 hex digits.
 *
 * @param value never null
 */
public record TxHash(String value) {

    public TxHash {
        if (!Hex.isHex(value, 32)) {
            throw new IllegalArgumentException("txHash must be 0x and 64 hex digits, got '" + value + "'");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
