package dev.outlast.config.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The values that must be unique within one list (chain ids, names, URLs, hosts): each value of each key
 * is remembered with the path of the element that used it first, and a second use is a problem at its
 * own path, naming the first.
 *
 * <p>Not thread-safe: one binding of one list uses it.
 */
final class Uniques {

    private final String expected;
    private final Map<String, Map<String, String>> byKey = new HashMap<>();

    /** @param expected what a repeated value should have been, such as {@code "unique within the chain"} */
    Uniques(String expected) {
        this.expected = expected;
    }

    /**
     * Whether {@code text}, the value at {@code value} in the list element {@code element}, is the first
     * use of that value for that key; records the problem at {@code value} when it is not.
     */
    boolean first(Node element, Node value, String text) {
        String earlier = byKey.computeIfAbsent(value.key(), key -> new HashMap<>()).putIfAbsent(text, element.path());
        if (earlier != null) {
            value.invalid(expected + ", already used by " + earlier);
            return false;
        }
        return true;
    }
}
