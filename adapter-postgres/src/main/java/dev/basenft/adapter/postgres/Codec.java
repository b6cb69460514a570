package dev.basenft.adapter.postgres;

import dev.basenft.core.model.Address;
import dev.basenft.core.model.TxHash;
import dev.basenft.core.model.Wei;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;

/**
 * Conversions between the domain's values and their columns: addresses, hashes and keys as bytea, amounts as numeric,
 * instants as timestamptz. Stateless and thread-safe.
 */
final class Codec {

    private static final HexFormat HEX = HexFormat.of();

    private Codec() {
    }

    /** The 20 bytes of an address: stored so, compared byte-wise, which is the order of lower-case hex. */
    static byte[] bytes(Address address) {
        return address.bytes();
    }

    /** An address column back as the domain's EIP-55 form. */
    static Address address(byte[] bytes) {
        return Address.ofBytes(bytes);
    }

    static Optional<Address> optionalAddress(byte[] bytes) {
        return bytes == null ? Optional.empty() : Optional.of(address(bytes));
    }

    /** The raw bytes of {@code 0x…} hex (a hash, key or raw transaction). */
    static byte[] hexBytes(String hex) {
        return HEX.parseHex(hex, 2, hex.length());
    }

    /** Bytes as lower-case {@code 0x…} hex. */
    static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    static TxHash txHash(byte[] bytes) {
        return new TxHash(hex(bytes));
    }

    static BigDecimal numeric(Wei wei) {
        return new BigDecimal(wei.value());
    }

    static Wei wei(BigDecimal value) {
        return new Wei(value.toBigIntegerExact());
    }

    static BigInteger bigInteger(BigDecimal value) {
        return value == null ? null : value.toBigIntegerExact();
    }

    /**
     * The instant as PostgreSQL keeps it: timestamptz holds microseconds, so values are truncated before they are written
     * and before they are compared with stored ones (a lease's expiry, say); otherwise an equal instant would not compare
     * equal after the round trip.
     */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** A bindable timestamp for {@code instant}, truncated to microseconds. */
    static Timestamp timestamp(Instant instant) {
        return Timestamp.from(micros(instant));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    /** Binds addresses as one {@code bytea[]} parameter, so a whole batch travels in one round trip. */
    static Argument byteaArray(List<Address> addresses) {
        byte[][] elements = new byte[addresses.size()][];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = bytes(addresses.get(i));
        }
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("bytea", elements));
    }

    /** Binds uuids as one {@code uuid[]} parameter. */
    static Argument uuidArray(List<UUID> values) {
        Object[] elements = values.toArray();
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("uuid", elements));
    }

    /** Binds byte strings as one {@code bytea[]} parameter. */
    static Argument bytesArray(List<byte[]> values) {
        byte[][] elements = values.toArray(byte[][]::new);
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("bytea", elements));
    }

    /** Binds strings as one {@code text[]} parameter. */
    static Argument textArray(List<String> values) {
        Object[] elements = values.toArray();
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("text", elements));
    }

    /** A {@code bytea[]} column back as addresses, in order. */
    static List<Address> addresses(Array array) throws SQLException {
        Object[] elements = (Object[]) array.getArray();
        List<Address> out = new ArrayList<>(elements.length);
        for (Object element : elements) {
            out.add(address((byte[]) element));
        }
        return out;
    }
}
