package dev.outlast.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filter of a {@code logs} subscription, as geth reads it: {@code address} (one or a list; any
 * when absent) and {@code topics}, positional, each {@code null} (any), one topic, or a list of
 * alternatives; a log matches when it has at least as many topics as the filter has positions.
 * Comparison ignores case.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogFilter {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern TOPIC = Pattern.compile("0x[0-9a-fA-F]{64}");
    /** Geth's limit on topic positions. */
    static final int MAX_TOPICS = 4;

    /** Any log at all. */
    public static final LogFilter ANY = new LogFilter(Set.of(), List.of());

    private final Set<String> addresses;
    /** Per position: the alternatives, empty for any. */
    private final List<Set<String>> topics;

    private LogFilter(Set<String> addresses, List<Set<String>> topics) {
        this.addresses = addresses;
        this.topics = topics;
    }

    /** Thrown for a filter that is not one; the message says what was expected. */
    public static final class BadFilter extends Exception {
        BadFilter(String message) {
            super(message);
        }
    }

    /** Reads a filter object; {@code null} or a missing node is {@link #ANY}. */
    public static LogFilter parse(JsonNode node) throws BadFilter {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return ANY;
        }
        if (!node.isObject()) {
            throw new BadFilter("the logs filter must be an object with address and topics");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("address") && !name.equals("topics")) {
                throw new BadFilter("unknown field in the logs filter: " + name + " (expected: address, topics)");
            }
        }
        Set<String> addresses = alternatives(node.get("address"), ADDRESS, "address");
        List<Set<String>> topics = new ArrayList<>();
        JsonNode t = node.get("topics");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw new BadFilter("topics must be a list");
            }
            if (t.size() > MAX_TOPICS) {
                throw new BadFilter("at most " + MAX_TOPICS + " topic positions");
            }
            for (JsonNode position : t) {
                topics.add(alternatives(position, TOPIC, "topic"));
            }
        }
        return new LogFilter(addresses, List.copyOf(topics));
    }

    private static Set<String> alternatives(JsonNode node, Pattern pattern, String what) throws BadFilter {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode v : node) {
                values.add(one(v, pattern, what));
            }
        } else {
            values.add(one(node, pattern, what));
        }
        return Set.copyOf(values);
    }

    private static String one(JsonNode v, Pattern pattern, String what) throws BadFilter {
        if (!v.isTextual() || !pattern.matcher(v.textValue()).matches()) {
            throw new BadFilter("not a " + what + ": " + v + " (expected: 0x and " + ("address".equals(what) ? 40 : 64)
                    + " hex digits)");
        }
        return v.textValue().toLowerCase(Locale.ROOT);
    }

    /** The addresses this filter admits; empty for any. */
    public Set<String> addresses() {
        return addresses;
    }

    /** Whether {@code log} (an {@code eth_getLogs} entry) matches. */
    public boolean matches(JsonNode log) {
        if (!addresses.isEmpty() && !addresses.contains(log.path("address").asText("").toLowerCase(Locale.ROOT))) {
            return false;
        }
        JsonNode logTopics = log.path("topics");
        if (logTopics.size() < topics.size()) {
            return false;
        }
        for (int i = 0; i < topics.size(); i++) {
            Set<String> wanted = topics.get(i);
            if (!wanted.isEmpty() && !wanted.contains(logTopics.get(i).asText("").toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
