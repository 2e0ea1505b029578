package dev.outlast.verify;

import java.math.BigInteger;
import java.util.HexFormat;

/** Strict parsing of the JSON-RPC hex encodings: {@code DATA} (even digits) and {@code QUANTITY}. */
final class HexData {

    private static final HexFormat HEX = HexFormat.of();

    private HexData() {}

    static byte[] bytes(String field, String hex) {
        String digits = digits(field, hex);
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException(field + ": \"" + hex + "\" (expected: even number of hex digits)");
        }
        try {
            return HEX.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": \"" + hex + "\" (expected: hex data)", e);
        }
    }

    static BigInteger quantity(String field, String hex) {
        String digits = digits(field, hex);
        if (digits.isEmpty()) {
            throw new IllegalArgumentException(field + ": \"" + hex + "\" (expected: hex quantity)");
        }
        try {
            return new BigInteger(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": \"" + hex + "\" (expected: hex quantity)", e);
        }
    }

    /** Minimal big-endian bytes of a non-negative integer; zero is the empty array, as RLP wants. */
    static byte[] minimal(BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("quantity: " + value + " (expected: >= 0)");
        }
        if (value.signum() == 0) {
            return new byte[0];
        }
        byte[] b = value.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    private static String digits(String field, String hex) {
        if (hex == null || !(hex.startsWith("0x") || hex.startsWith("0X"))) {
            throw new IllegalArgumentException(field + ": " + (hex == null ? "missing" : "\"" + hex + "\"")
                    + " (expected: 0x-prefixed hex)");
        }
        return hex.substring(2);
    }
}
