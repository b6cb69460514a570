package dev.basenft.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding {@code 0x01}, not SHA3-256's {@code 0x06}).
 *
 * <p>The JDK ships SHA3-256 only, and core may depend on nothing but the JDK, so the sponge and the keccak-f[1600]
 * permutation are written out here from FIPS 202. It is on the hot path of every address (an EIP-55 checksum hashes
 * each one), so it is written for speed: the 25 lanes of the state live in local {@code long} variables for the whole
 * hash, one round of theta, rho, pi, chi and iota is unrolled over them (theta's column parities folded into rho and pi),
 * and input is read eight bytes at a time as little-endian lanes. A hash allocates nothing but its output, and
 * {@link #hash(byte[], int, int, byte[], int)} not even that.
 *
 * <p>Lane {@code aN} is the state's A[x, y] with N = x + 5y (FIPS 202, section 3.1.2); {@code bN} is the same lane after
 * rho and pi.
 *
 * <p>Stateless and thread-safe.
 */
public final class Keccak256 {

    /** Bytes of the output. */
    public static final int DIGEST_BYTES = 32;
    /** The rate r of Keccak-256: 1600 − 2 × 256 bits, that is 17 lanes. */
    private static final int RATE_BYTES = 136;
    private static final VarHandle LANE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The iota step's round constants RC for the 24 rounds (FIPS 202, section 3.2.5). */
    private static final long[] ROUND_CONSTANTS = {
        0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL, 0x8000000080008000L,
        0x000000000000808bL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
        0x000000000000008aL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
        0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L, 0x8000000000008003L,
        0x8000000000008002L, 0x8000000000000080L, 0x000000000000800aL, 0x800000008000000aL,
        0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
    };

    private Keccak256() {
    }

    /**
     * Hashes {@code input}.
     *
     * @param input bytes to hash; not null; not modified
     * @return a new 32-byte array
     */
    public static byte[] hash(byte[] input) {
        return hash(input, 0, input.length);
    }

    /**
     * Hashes {@code length} bytes of {@code input} from {@code offset}.
     *
     * @return a new 32-byte array
     * @throws IndexOutOfBoundsException if the range is not inside {@code input}
     */
    public static byte[] hash(byte[] input, int offset, int length) {
        byte[] out = new byte[DIGEST_BYTES];
        hash(input, offset, length, out, 0);
        return out;
    }

    /**
     * Hashes {@code length} bytes of {@code input} from {@code offset} into {@code out} at {@code outOffset}, allocating
     * nothing. {@code input} and {@code out} may be the same array, even overlapping: all input is read before any output
     * is written.
     *
     * @throws IndexOutOfBoundsException if either range is not inside its array
     */
    public static void hash(byte[] input, int offset, int length, byte[] out, int outOffset) {
        Objects.checkFromIndexSize(offset, length, input.length);
        Objects.checkFromIndexSize(outOffset, DIGEST_BYTES, out.length);
        long a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
        long a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0;
        long a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0;
        long a15 = 0, a16 = 0, a17 = 0, a18 = 0, a19 = 0;
        long a20 = 0, a21 = 0, a22 = 0, a23 = 0, a24 = 0;
        int pos = offset;
        int remaining = length;
        boolean padded = false;
        do {
            // Absorb a full block as it is, else the rest padded (pad10*1 after Keccak's 0x01), which ends the input. A
            // rest of zero bytes (empty input, or a multiple of the rate) still gets its own padding block.
            if (remaining >= RATE_BYTES) {
                a0 ^= (long) LANE.get(input, pos);
                a1 ^= (long) LANE.get(input, pos + 8);
                a2 ^= (long) LANE.get(input, pos + 16);
                a3 ^= (long) LANE.get(input, pos + 24);
                a4 ^= (long) LANE.get(input, pos + 32);
                a5 ^= (long) LANE.get(input, pos + 40);
                a6 ^= (long) LANE.get(input, pos + 48);
                a7 ^= (long) LANE.get(input, pos + 56);
                a8 ^= (long) LANE.get(input, pos + 64);
                a9 ^= (long) LANE.get(input, pos + 72);
                a10 ^= (long) LANE.get(input, pos + 80);
                a11 ^= (long) LANE.get(input, pos + 88);
                a12 ^= (long) LANE.get(input, pos + 96);
                a13 ^= (long) LANE.get(input, pos + 104);
                a14 ^= (long) LANE.get(input, pos + 112);
                a15 ^= (long) LANE.get(input, pos + 120);
                a16 ^= (long) LANE.get(input, pos + 128);
                pos += RATE_BYTES;
                remaining -= RATE_BYTES;
            } else {
                a0 ^= paddedLane(input, pos, remaining, 0);
                a1 ^= paddedLane(input, pos, remaining, 1);
                a2 ^= paddedLane(input, pos, remaining, 2);
                a3 ^= paddedLane(input, pos, remaining, 3);
                a4 ^= paddedLane(input, pos, remaining, 4);
                a5 ^= paddedLane(input, pos, remaining, 5);
                a6 ^= paddedLane(input, pos, remaining, 6);
                a7 ^= paddedLane(input, pos, remaining, 7);
                a8 ^= paddedLane(input, pos, remaining, 8);
                a9 ^= paddedLane(input, pos, remaining, 9);
                a10 ^= paddedLane(input, pos, remaining, 10);
                a11 ^= paddedLane(input, pos, remaining, 11);
                a12 ^= paddedLane(input, pos, remaining, 12);
                a13 ^= paddedLane(input, pos, remaining, 13);
                a14 ^= paddedLane(input, pos, remaining, 14);
                a15 ^= paddedLane(input, pos, remaining, 15);
                a16 ^= paddedLane(input, pos, remaining, 16);
                padded = true;
            }
            for (int round = 0; round < ROUND_CONSTANTS.length; round++) {
                long c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
                long c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
                long c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
                long c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
                long c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
                long d0 = c4 ^ Long.rotateLeft(c1, 1);
                long d1 = c0 ^ Long.rotateLeft(c2, 1);
                long d2 = c1 ^ Long.rotateLeft(c3, 1);
                long d3 = c2 ^ Long.rotateLeft(c4, 1);
                long d4 = c3 ^ Long.rotateLeft(c0, 1);
                long b0 = a0 ^ d0;
                long b10 = Long.rotateLeft(a1 ^ d1, 1);
                long b20 = Long.rotateLeft(a2 ^ d2, 62);
                long b5 = Long.rotateLeft(a3 ^ d3, 28);
                long b15 = Long.rotateLeft(a4 ^ d4, 27);
                long b16 = Long.rotateLeft(a5 ^ d0, 36);
                long b1 = Long.rotateLeft(a6 ^ d1, 44);
                long b11 = Long.rotateLeft(a7 ^ d2, 6);
                long b21 = Long.rotateLeft(a8 ^ d3, 55);
                long b6 = Long.rotateLeft(a9 ^ d4, 20);
                long b7 = Long.rotateLeft(a10 ^ d0, 3);
                long b17 = Long.rotateLeft(a11 ^ d1, 10);
                long b2 = Long.rotateLeft(a12 ^ d2, 43);
                long b12 = Long.rotateLeft(a13 ^ d3, 25);
                long b22 = Long.rotateLeft(a14 ^ d4, 39);
                long b23 = Long.rotateLeft(a15 ^ d0, 41);
                long b8 = Long.rotateLeft(a16 ^ d1, 45);
                long b18 = Long.rotateLeft(a17 ^ d2, 15);
                long b3 = Long.rotateLeft(a18 ^ d3, 21);
                long b13 = Long.rotateLeft(a19 ^ d4, 8);
                long b14 = Long.rotateLeft(a20 ^ d0, 18);
                long b24 = Long.rotateLeft(a21 ^ d1, 2);
                long b9 = Long.rotateLeft(a22 ^ d2, 61);
                long b19 = Long.rotateLeft(a23 ^ d3, 56);
                long b4 = Long.rotateLeft(a24 ^ d4, 14);
                a0 = b0 ^ (~b1 & b2);
                a1 = b1 ^ (~b2 & b3);
                a2 = b2 ^ (~b3 & b4);
                a3 = b3 ^ (~b4 & b0);
                a4 = b4 ^ (~b0 & b1);
                a5 = b5 ^ (~b6 & b7);
                a6 = b6 ^ (~b7 & b8);
                a7 = b7 ^ (~b8 & b9);
                a8 = b8 ^ (~b9 & b5);
                a9 = b9 ^ (~b5 & b6);
                a10 = b10 ^ (~b11 & b12);
                a11 = b11 ^ (~b12 & b13);
                a12 = b12 ^ (~b13 & b14);
                a13 = b13 ^ (~b14 & b10);
                a14 = b14 ^ (~b10 & b11);
                a15 = b15 ^ (~b16 & b17);
                a16 = b16 ^ (~b17 & b18);
                a17 = b17 ^ (~b18 & b19);
                a18 = b18 ^ (~b19 & b15);
                a19 = b19 ^ (~b15 & b16);
                a20 = b20 ^ (~b21 & b22);
                a21 = b21 ^ (~b22 & b23);
                a22 = b22 ^ (~b23 & b24);
                a23 = b23 ^ (~b24 & b20);
                a24 = b24 ^ (~b20 & b21);
                a0 ^= ROUND_CONSTANTS[round];
            }
        } while (!padded);
        // Squeeze: the 32 bytes are the first four lanes, little-endian; one block of output is more than enough.
        LANE.set(out, outOffset, a0);
        LANE.set(out, outOffset + 8, a1);
        LANE.set(out, outOffset + 16, a2);
        LANE.set(out, outOffset + 24, a3);
    }

    /**
     * Lane {@code lane} of the final block: the {@code remaining} input bytes from {@code pos}, then Keccak's padding byte
     * 0x01, zeros, and the closing bit 0x80 in the block's last byte (both in one byte when 135 bytes are left).
     */
    private static long paddedLane(byte[] input, int pos, int remaining, int lane) {
        long value = 0;
        for (int b = 0; b < 8; b++) {
            int i = lane * 8 + b;
            long octet = i < remaining ? input[pos + i] & 0xffL : i == remaining ? 0x01L : 0L;
            if (i == RATE_BYTES - 1) {
                octet ^= 0x80L;
            }
            value |= octet << (8 * b);
        }
        return value;
    }
}
