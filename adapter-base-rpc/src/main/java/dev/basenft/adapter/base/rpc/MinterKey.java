package dev.basenft.adapter.base.rpc;

import dev.basenft.core.model.Address;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * The minter wallet's secp256k1 private key. It never leaves this object in readable form: {@link #toString()} shows only the
 * address, and no exception message ever contains the key or a part of it.
 *
 * <p>Immutable and thread-safe.
 */
public final class MinterKey {

    /** The order n of secp256k1: a private key must lie in [1, n − 1]. */
    private static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();

    private final Credentials credentials;
    private final Address address;

    private MinterKey(Credentials credentials) {
        this.credentials = credentials;
        this.address = Address.parse(credentials.getAddress());
    }

    /**
     * Reads a private key.
     *
     * @param hex 64 hex digits, with or without {@code 0x}, surrounding whitespace ignored; never null
     * @return the key
     * @throws IllegalArgumentException naming {@code minterPrivateKey} and what is wrong, never quoting the input
     */
    public static MinterKey fromHex(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("minterPrivateKey must not be null");
        }
        String digits = hex.strip();
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        if (digits.length() != 64) {
            throw new IllegalArgumentException(
                    "minterPrivateKey must be 64 hex digits (32 bytes), got " + digits.length() + " characters");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            // ASCII only: Character.digit (and BigInteger) would read lookalikes such as Arabic-Indic or fullwidth digits.
            // Position only: echoing the character would leak a part of the key.
            if (c >= 0x80) {
                throw new IllegalArgumentException("minterPrivateKey has a non-ASCII character at position " + (i + 1)
                        + "; only the ASCII hex digits 0-9, a-f and A-F are accepted");
            }
            if (!HexFormat.isHexDigit(c)) {
                throw new IllegalArgumentException("minterPrivateKey has a non-hex character at position " + (i + 1));
            }
        }
        BigInteger secret = new BigInteger(digits.toLowerCase(Locale.ROOT), 16);
        if (secret.signum() == 0 || secret.compareTo(CURVE_ORDER) >= 0) {
            throw new IllegalArgumentException("minterPrivateKey is not a valid secp256k1 private key (zero or not below the curve order)");
        }
        return new MinterKey(Credentials.create(ECKeyPair.create(secret)));
    }

    /** The wallet address this key signs for; never null. */
    public Address address() {
        return address;
    }

    /** The web3j signer; for this adapter's signing code only. */
    Credentials credentials() {
        return credentials;
    }

    /** Shows the address only: the key is redacted. */
    @Override
    public String toString() {
        return "MinterKey[address=" + address + ", key=<redacted>]";
    }
}
