package dev.basenft.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Keccak-256 vectors. Empty and "abc" are Ethereum's well-known values; the longer ones were computed with an independent
 * implementation checked against SHA3-256 from Python's hashlib (same permutation, padding 0x06 instead of
 * 0x01), and cover the edges of the 136-byte rate: one byte short, exact, and several blocks.
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

    @Test
    void leavesItsInputAloneAndAnswersThirtyTwoBytes() {
        byte[] input = ascii("abc");

        byte[] hash = Keccak256.hash(input);

        assertThat(input).isEqualTo(ascii("abc"));
        assertThat(hash).hasSize(32);
    }
}
