package dev.outlast.rpc;

import java.util.Optional;

/** Ethereum JSON-RPC hex: quantities ({@code 0x}-prefixed, without leading zeros) and fixed-width data (hashes, addresses). */
public final class Quantity {

    private Quantity() {
    }

    /** Parses {@code 0x...} hex that fits a non-negative long; empty for anything else. */
    public static Optional<Long> parse(String text) {
        if (text == null || text.length() < 3 || text.length() > 18 || !(text.startsWith("0x") || text.startsWith("0X"))) {
            return Optional.empty();
        }
        if (text.charAt(2) == '+') {
            return Optional.empty();
        }
        try {
            long value = Long.parseUnsignedLong(text.substring(2), 16);
            return value < 0 ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Formats a non-negative number as a quantity. */
    public static String format(long value) {
        return "0x" + Long.toHexString(value);
    }

    /**
     * True when {@code text} is {@code 0x} and {@code minDigits} to {@code maxDigits} ASCII hex digits
     * (a 32-byte hash: 64 and 64). Checked on every request that may carry one, so it
     * scans the characters instead of matching a regular expression.
     */
    public static boolean isHex(String text, int minDigits, int maxDigits) {
        int digits = text.length() - 2;
        if (digits < minDigits || digits > maxDigits || text.charAt(0) != '0' || text.charAt(1) != 'x') {
            return false;
        }
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
