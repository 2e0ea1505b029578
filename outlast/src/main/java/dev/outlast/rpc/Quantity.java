package dev.outlast.rpc;

import java.util.Optional;

/** Ethereum JSON-RPC quantities: {@code 0x}-prefixed hex without leading zeros. */
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
}
