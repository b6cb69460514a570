package dev.basenft.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    /** The test vectors of EIP-55 itself: all caps, all lower, and mixed case. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
    })
    void acceptsTheEip55VectorsAndChecksumsTheirLowerCaseForm(String vector) {
        assertThat(Address.parse(vector).value()).isEqualTo(vector);
        assertThat(Address.parse(vector.toLowerCase(Locale.ROOT)).value()).isEqualTo(vector);
        assertThat(Address.parse("0x" + vector.substring(2).toUpperCase(Locale.ROOT)).value()).isEqualTo(vector);
    }

    @Test
    void refusesMixedCaseWithAWrongChecksumAndSuggestsTheRightOne() {
        String typo = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";

        assertThatThrownBy(() -> Address.parse(typo))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("bad EIP-55 checksum")
                .hasMessageContaining(typo)
                .hasMessageContaining("did you mean 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }

    @Test
    void refusesAWrongLengthSayingHowManyDigitsItGot() {
        assertThatThrownBy(() -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("40 hex digits")
                .hasMessageContaining("got 38 digits");
        assertThatThrownBy(() -> Address.parse("0x" + "a".repeat(41)))
                .hasMessageContaining("got 41 digits");
    }

    @Test
    void refusesANonHexCharacterNamingItAndItsPosition() {
        assertThatThrownBy(() -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAgd"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("non-hex character 'g' at position 41");
    }

    /**
     * {@link Character#digit} takes any Unicode decimal digit and fullwidth letters, so lookalikes used to slip through and
     * be read as their ASCII values; they are refused, naming the character, its code point and its position.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "\u0663", // ARABIC-INDIC DIGIT THREE
        "\u06f7", // EXTENDED ARABIC-INDIC DIGIT SEVEN
        "\u0967", // DEVANAGARI DIGIT ONE
        "\uff15", // FULLWIDTH DIGIT FIVE
        "\uff41", // FULLWIDTH LATIN SMALL LETTER A
        "\uff21" // FULLWIDTH LATIN CAPITAL LETTER A
    })
    void refusesNonAsciiLookalikeDigitsNamingTheProblem(String lookalike) {
        String input = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea" + lookalike + "d";
        String codePoint = String.format(Locale.ROOT, "U+%04X", lookalike.codePointAt(0));

        assertThatThrownBy(() -> Address.parse(input))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("non-ASCII character '" + lookalike + "' (" + codePoint + ") at position 41")
                .hasMessageContaining("only the ASCII hex digits 0-9, a-f and A-F");
        assertThatThrownBy(() -> new Address(input))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("not in EIP-55 form");
    }

    @Test
    void refusesALookalikeOutsideTheBasicPlaneNamingItsCodePoint() {
        // MATHEMATICAL BOLD DIGIT ZERO is a surrogate pair: named as one character, at the position of its first half.
        assertThatThrownBy(() -> Address.parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea" + "\uD835\uDFCE"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("non-ASCII character '\uD835\uDFCE' (U+1D7CE) at position 41");
    }

    @Test
    void refusesAMissingPrefixAndNull() {
        assertThatThrownBy(() -> Address.parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("must start with 0x");
        assertThatThrownBy(() -> Address.parse(null))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("must not be null");
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertThat(Address.parse("  0xde709f2102306220921060314715629080e2fb77\t").value())
                .isEqualTo("0xde709f2102306220921060314715629080e2fb77");
    }

    @Test
    void parsesTheZeroAddressButNoRecipientMayHaveIt() {
        Address zero = Address.parse("0x0000000000000000000000000000000000000000");

        assertThat(zero.isZero()).isTrue();
        assertThatThrownBy(() -> NewRecipient.of(zero))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("zero address");
        assertThatThrownBy(() -> Recipient.pending(ModelFixtures.CAMPAIGN, zero, Optional.empty()))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("zero address");
    }

    @Test
    void constructorAcceptsOnlyTheChecksummedForm() {
        assertThatThrownBy(() -> new Address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("EIP-55");
        assertThat(new Address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")).isEqualTo(ModelFixtures.ALICE);
    }

    @Test
    void roundTripsItsBytesAndComparesByLowerCaseHex() {
        Address address = ModelFixtures.ALICE;

        assertThat(Address.ofBytes(address.bytes())).isEqualTo(address);
        assertThat(address.lowerCase()).isEqualTo("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        assertThat(ModelFixtures.ALICE.compareTo(ModelFixtures.BOB)).isNegative();
        assertThatThrownBy(() -> Address.ofBytes(new byte[19])).hasMessageContaining("exactly 20 bytes");
    }

    @Test
    void ordersExactlyAsItsLowerCaseHexAndRoundTripsRandomBytes() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        Address previous = Address.ofBytes(new byte[20]);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[20];
            random.nextBytes(bytes);
            if (i % 3 == 0) {
                System.arraycopy(previous.bytes(), 0, bytes, 0, 19); // close neighbours share a long prefix
            }
            Address address = Address.ofBytes(bytes);

            assertThat(address.bytes()).isEqualTo(bytes);
            assertThat(Address.parse(address.lowerCase())).isEqualTo(address);
            assertThat(Address.parse(address.value())).isEqualTo(address);
            assertThat(new Address(address.value())).isEqualTo(address);
            assertThat(Integer.signum(address.compareTo(previous)))
                    .isEqualTo(Integer.signum(address.lowerCase().compareTo(previous.lowerCase())));
            previous = address;
        }
    }
}
