package dev.basenft.core.model;

import java.math.BigInteger;

/**
 * An amount of wei (ether, gas prices, balances).
 *
 * @param value not negative
 */
public record Wei(BigInteger value) implements Comparable<Wei> {

    public static final Wei ZERO = new Wei(BigInteger.ZERO);

    public Wei {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException("wei must be a non-negative amount, got " + value);
        }
    }

    public static Wei of(long wei) {
        return new Wei(BigInteger.valueOf(wei));
    }

    public static Wei gwei(long gwei) {
        return new Wei(BigInteger.valueOf(gwei).multiply(BigInteger.TEN.pow(9)));
    }

    public Wei plus(Wei other) {
        return new Wei(value.add(other.value));
    }

    public Wei times(long factor) {
        return new Wei(value.multiply(BigInteger.valueOf(factor)));
    }

    /** This amount raised by {@code percent} per cent, rounded up so a +10 % bump is never short by rounding. */
    public Wei bumpedByPercent(int percent) {
        BigInteger[] qr = value.multiply(BigInteger.valueOf(100L + percent)).divideAndRemainder(BigInteger.valueOf(100));
        return new Wei(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }

    public Wei max(Wei other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public boolean isGreaterThan(Wei other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Wei other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value + " wei";
    }
}
