package dev.basenft.core.internal;

import java.util.HexFormat;

/** Lower-case hex with the {@code 0x} prefix Ethereum uses. Stateless and thread-safe. */
public final class Hex {

    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    /** Encodes {@code bytes} as {@code 0x…} lower-case hex. */
    public static String encode(byte[] bytes) {
        return "0x" + FORMAT.formatHex(bytes);
    }

    /**
     * Decodes {@code 0x…} hex (either case, ASCII digits only).
     *
     * @throws IllegalArgumentException if {@code hex} lacks the prefix or holds a non-hex character
     */
    public static byte[] decode(String hex) {
        if (hex == null || !hex.startsWith("0x")) {
            throw new IllegalArgumentException("hex value must start with 0x: " + hex);
        }
        return FORMAT.parseHex(hex, 2, hex.length());
    }

    /**
     * True when {@code text} is {@code 0x} followed by exactly {@code byteLength} bytes of hex: ASCII {@code 0-9 a-f A-F}
     * only, never the other Unicode digits {@link Character#digit} would take.
     */
    public static boolean isHex(String text, int byteLength) {
        if (text == null || text.length() != 2 + 2 * byteLength || !text.startsWith("0x")) {
            return false;
        }
        for (int i = 2; i < text.length(); i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
