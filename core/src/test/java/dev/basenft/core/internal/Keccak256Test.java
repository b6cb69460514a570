package dev.basenft.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keccak-256 vectors. Empty and "abc" are Ethereum's well-known values; the longer ones were computed with an independent
 * implementation checked against SHA3-256 from Python's hashlib (same permutation, padding 0x06 instead of
 * 0x01), and cover the edges of the 136-byte rate: one byte short, exact, and several blocks. The EIP-55 examples check
 * the hash through the capitalisation it dictates. Random inputs of every length from 0 to 600 bytes are compared with
 * {@link Reference}, a deliberately plain transcription of FIPS 202 that shares no code or tables with the real one.
 */
class Keccak256Test {

    private static String keccak(byte[] input) {
        return Hex.encode(Keccak256.hash(input));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void hashesTheEmptyInput() {
        assertThat(keccak(new byte[0])).isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }

    @Test
    void hashesAbc() {
        assertThat(keccak(ascii("abc"))).isEqualTo("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    }

    @Test
    void hashesInputsAroundTheRate() {
        assertThat(keccak(ascii("a".repeat(135))))
                .isEqualTo("0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446");
        assertThat(keccak(ascii("a".repeat(136))))
                .isEqualTo("0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e");
        assertThat(keccak(ascii("a".repeat(200))))
                .isEqualTo("0x96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d");
    }

    @Test
    void hashesSeveralBlocksOfEveryByteValue() {
        byte[] input = new byte[512];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }

        assertThat(keccak(input)).isEqualTo("0xf55ba327291604f0e5be6651752398b7be2331aad65f5763ce067df95cc13be1");
    }

    /**
     * EIP-55's own examples: a hex letter of the address is upper case exactly when the matching nibble of the Keccak-256 of
     * the lower-case hex (as ASCII) is 8 or more, so each example pins down up to 40 nibbles of a hash.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
    })
    void agreesWithTheEip55Examples(String checksummed) {
        String lower = checksummed.substring(2).toLowerCase(Locale.ROOT);

        byte[] hash = Keccak256.hash(ascii(lower));

        StringBuilder expected = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            char c = lower.charAt(i);
            expected.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        assertThat(expected.toString()).isEqualTo(checksummed);
    }

    @Test
    void matchesTheReferenceOnRandomInputsOfEveryLengthUpTo600Bytes() {
        SplittableRandom random = new SplittableRandom(55);
        for (int length = 0; length <= 600; length++) {
            for (int sample = 0; sample < 3; sample++) {
                byte[] input = new byte[length];
                random.nextBytes(input);

                assertThat(Keccak256.hash(input)).as("length %d, sample %d", length, sample)
                        .isEqualTo(Reference.keccak256(input));
            }
        }
    }

    @Test
    void hashesASliceAndWritesIntoAGivenArrayEvenOverItsOwnInput() {
        SplittableRandom random = new SplittableRandom(7);
        for (int length : new int[] {0, 1, 40, 135, 136, 137, 300}) {
            byte[] buffer = new byte[length + 64];
            random.nextBytes(buffer);
            byte[] slice = Arrays.copyOfRange(buffer, 11, 11 + length);
            byte[] expected = Reference.keccak256(slice);

            assertThat(Keccak256.hash(buffer, 11, length)).as("slice of %d", length).isEqualTo(expected);
            byte[] out = new byte[40];
            Keccak256.hash(buffer, 11, length, out, 5);
            assertThat(Arrays.copyOfRange(out, 5, 37)).isEqualTo(expected);
            Keccak256.hash(buffer, 11, length, buffer, 3);
            assertThat(Arrays.copyOfRange(buffer, 3, 35)).as("in place, %d", length).isEqualTo(expected);
        }
    }

    @Test
    void refusesRangesOutsideItsArrays() {
        assertThatThrownBy(() -> Keccak256.hash(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Keccak256.hash(new byte[10], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Keccak256.hash(new byte[10], 0, 10, new byte[40], 9))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void leavesItsInputAloneAndAnswersThirtyTwoBytes() {
        byte[] input = ascii("abc");

        byte[] hash = Keccak256.hash(input);

        assertThat(input).isEqualTo(ascii("abc"));
        assertThat(hash).hasSize(32);
    }

    /** Hashing into a given array allocates nothing, so checksumming a million addresses makes no garbage for the hash. */
    @Test
    void hashingIntoAGivenArrayAllocatesNothing() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            return;
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        byte[] input = new byte[400];
        byte[] out = new byte[32];
        for (int i = 0; i < 50_000; i++) {
            Keccak256.hash(input, i % 200, 40 + i % 100, out, 0);
        }
        long thread = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            Keccak256.hash(input, i % 200, 40 + i % 100, out, 0);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // Ten thousand hashes of 40 to 139 bytes; a per-call state array alone would be 2 MB. Some slack for the MXBean.
        assertThat(allocated).isLessThan(16 * 1024);
    }

    /**
     * Keccak-256 transcribed plainly from FIPS 202 for comparison: a 5 × 5 array of lanes, each step its own loop, the rho
     * offsets and the round constants computed by the standard's algorithms (3.2.2 and 3.2.5) rather than tabulated.
     */
    private static final class Reference {

        private static final int RATE = 136;

        static byte[] keccak256(byte[] message) {
            // pad10*1 after Keccak's domain byte 0x01: the padded length is the next multiple of the rate, always longer.
            int paddedLength = (message.length / RATE + 1) * RATE;
            byte[] padded = Arrays.copyOf(message, paddedLength);
            padded[message.length] ^= 0x01;
            padded[paddedLength - 1] ^= (byte) 0x80;
            long[][] state = new long[5][5];
            for (int block = 0; block < paddedLength; block += RATE) {
                for (int i = 0; i < RATE / 8; i++) {
                    long lane = 0;
                    for (int b = 0; b < 8; b++) {
                        lane |= (padded[block + 8 * i + b] & 0xffL) << (8 * b);
                    }
                    state[i % 5][i / 5] ^= lane;
                }
                permute(state);
            }
            byte[] out = new byte[32];
            for (int i = 0; i < 32; i++) {
                out[i] = (byte) (state[(i / 8) % 5][(i / 8) / 5] >>> (8 * (i % 8)));
            }
            return out;
        }

        /** keccak-f[1600] on {@code a[x][y]}. */
        static void permute(long[][] a) {
            for (int round = 0; round < 24; round++) {
                // theta
                long[] c = new long[5];
                for (int x = 0; x < 5; x++) {
                    for (int y = 0; y < 5; y++) {
                        c[x] ^= a[x][y];
                    }
                }
                for (int x = 0; x < 5; x++) {
                    long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
                    for (int y = 0; y < 5; y++) {
                        a[x][y] ^= d;
                    }
                }
                // rho
                int x = 1;
                int y = 0;
                for (int t = 0; t < 24; t++) {
                    a[x][y] = Long.rotateLeft(a[x][y], ((t + 1) * (t + 2) / 2) % 64);
                    int nextY = (2 * x + 3 * y) % 5;
                    x = y;
                    y = nextY;
                }
                // pi
                long[][] b = new long[5][5];
                for (x = 0; x < 5; x++) {
                    for (y = 0; y < 5; y++) {
                        b[x][y] = a[(x + 3 * y) % 5][x];
                    }
                }
                // chi
                for (x = 0; x < 5; x++) {
                    for (y = 0; y < 5; y++) {
                        a[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y]);
                    }
                }
                // iota
                long roundConstant = 0;
                for (int j = 0; j <= 6; j++) {
                    roundConstant |= (long) rc(j + 7 * round) << ((1 << j) - 1);
                }
                a[0][0] ^= roundConstant;
            }
        }

        /** Algorithm 5 of FIPS 202: one bit of the LFSR x^8 + x^6 + x^5 + x^4 + 1; bit k of {@code r} is R[k]. */
        static int rc(int t) {
            int r = 1;
            for (int i = 1; i <= t % 255; i++) {
                r <<= 1;
                if ((r & 0x100) != 0) {
                    r ^= 0x100 | 0x01 | 0x10 | 0x20 | 0x40;
                }
            }
            return r & 1;
        }
    }
}
