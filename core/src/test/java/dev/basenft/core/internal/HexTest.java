package dev.basenft.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HexTest {

    @Test
    void encodesLowerCaseWithPrefixAndDecodesEitherCase() {
        assertThat(Hex.encode(new byte[] {0x0a, (byte) 0xff})).isEqualTo("0x0aff");
        assertThat(Hex.decode("0x0AfF")).containsExactly(0x0a, 0xff);
    }

    @Test
    void refusesHexWithoutPrefix() {
        assertThatThrownBy(() -> Hex.decode("0aff")).hasMessageContaining("must start with 0x");
    }

    @Test
    void recognisesExactByteLengthsOnly() {
        assertThat(Hex.isHex("0x" + "ab".repeat(32), 32)).isTrue();
        assertThat(Hex.isHex("0x" + "ab".repeat(31), 32)).isFalse();
        assertThat(Hex.isHex("0x" + "zz".repeat(32), 32)).isFalse();
        assertThat(Hex.isHex(null, 32)).isFalse();
    }

    @Test
    void acceptsOnlyAsciiHexDigitsNotUnicodeLookalikes() {
        // ARABIC-INDIC DIGIT THREE, FULLWIDTH DIGIT FIVE, FULLWIDTH LATIN SMALL LETTER A: Character.digit takes all three.
        for (String lookalike : new String[] {"\u0663", "\uff15", "\uff41"}) {
            String text = "0x" + "ab".repeat(31) + "a" + lookalike;

            assertThat(Hex.isHex(text, 32)).as(lookalike).isFalse();
            assertThatThrownBy(() -> Hex.decode(text)).as(lookalike).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Hex.isHex("0x" + "09afAF".repeat(4), 12)).isTrue();
    }
}
