package dev.basenft.core.model;

import dev.basenft.core.internal.Hex;
import java.util.Locale;

/**
 * A block hash, held as lower-case {@code 0x} and 64 hex digits. Two receipts of one transaction with different block hashes
 * were mined in different blocks: the chain reorganised in between.
 *
 * @param value never null
 */
public record BlockHash(String value) {

    public BlockHash {
        if (!Hex.isHex(value, 32)) {
            throw new IllegalArgumentException("blockHash must be 0x and 64 hex digits, got '" + value + "'");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
