package dev.basenft.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link HmacSha256} against RFC 4231's test vectors and the JDK's own {@code Mac}. */
class HmacSha256Test {

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void matchesRfc4231() {
        // Test case 2: a short key.
        assertThat(hex(HmacSha256.mac("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Test case 6: a 131-byte key, longer than the block, hashed first.
        byte[] key = new byte[131];
        java.util.Arrays.fill(key, (byte) 0xaa);
        assertThat(hex(HmacSha256.mac(key, "Test Using Larger Than Block-Size Key - Hash Key First"
                .getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void matchesTheJdksMacForKeysOfEveryLengthAroundTheBlock() throws Exception {
        for (int length = 1; length <= 130; length++) {
            byte[] key = new byte[length];
            for (int i = 0; i < length; i++) {
                key[i] = (byte) (i * 7 + length);
            }
            byte[] message = ("message of key length " + length).getBytes(StandardCharsets.UTF_8);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            assertThat(hex(HmacSha256.mac(key, message))).as("key length %d", length).isEqualTo(hex(mac.doFinal(message)));
        }
    }
}
