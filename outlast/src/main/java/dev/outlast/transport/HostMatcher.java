package dev.outlast.transport;

import java.util.Locale;
import java.util.Map;

/**
 * Finds what a request's {@code Host} header (or HTTP/2 {@code :authority}) names among a few host
 * names: the site a request belongs to. Both servers use this one, so a host is a site's or not
 * whichever of them reads the request.
 *
 * <p>The rule: a {@code Host} names {@code h} when, without surrounding whitespace and without its
 * port (what follows the last {@code :}), it is {@code h} in any letter case, with or without one
 * trailing dot (the fully qualified form, {@code app.example.com.}). An IPv6 literal
 * ({@code [::1]:8080}) never names one, and neither does an empty or missing header.
 *
 * <p>A lookup allocates nothing: the names are kept in an open-addressing table hashed on their
 * lower-case letters, and the header is compared in place. Immutable and thread-safe.
 *
 * @param <T> what a host name stands for
 */
public final class HostMatcher<T> {

    private static final HostMatcher<?> NONE = new HostMatcher<>(Map.of());

    private final String[] names;
    private final Object[] values;
    private final int mask;
    private final int size;

    private HostMatcher(Map<String, T> byName) {
        int capacity = Integer.highestOneBit(Math.max(2, byName.size() * 2 + 1) - 1) << 1;
        names = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        size = byName.size();
        byName.forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT);
            int at = hash(key, 0, key.length()) & mask;
            while (names[at] != null) {
                if (names[at].equals(key)) {
                    throw new IllegalArgumentException("host " + name + " given twice");
                }
                at = (at + 1) & mask;
            }
            names[at] = key;
            values[at] = value;
        });
    }

    /**
     * A matcher for {@code byName}'s host names (any letter case, no port, no trailing dot).
     *
     * @throws IllegalArgumentException when two names differ only in letter case
     */
    public static <T> HostMatcher<T> of(Map<String, T> byName) {
        return new HostMatcher<>(byName);
    }

    /** A matcher that matches nothing. */
    @SuppressWarnings("unchecked")
    public static <T> HostMatcher<T> none() {
        return (HostMatcher<T>) NONE;
    }

    /** True when no host name is matched. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** What {@code host} (a {@code Host} header's value, or null) names by the rule above, or null. */
    @SuppressWarnings("unchecked")
    public T match(CharSequence host) {
        if (size == 0 || host == null) {
            return null;
        }
        int start = 0;
        int end = host.length();
        while (start < end && isSpace(host.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(host.charAt(end - 1))) {
            end--;
        }
        if (start == end || host.charAt(start) == '[') {
            return null;
        }
        for (int i = end - 1; i >= start; i--) {
            if (host.charAt(i) == ':') {
                end = i;
                break;
            }
        }
        if (end > start && host.charAt(end - 1) == '.') {
            end--;
        }
        if (start == end) {
            return null;
        }
        for (int at = hash(host, start, end) & mask; names[at] != null; at = (at + 1) & mask) {
            if (sameIgnoringCase(names[at], host, start, end)) {
                return (T) values[at];
            }
        }
        return null;
    }

    private static int hash(CharSequence s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + lower(s.charAt(i));
        }
        return h ^ (h >>> 16);
    }

    private static boolean sameIgnoringCase(String name, CharSequence s, int start, int end) {
        if (name.length() != end - start) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) != lower(s.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
