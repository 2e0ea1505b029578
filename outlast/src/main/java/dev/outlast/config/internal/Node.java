package dev.outlast.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A YAML node and its path, read with the environment of one load.
 *
 * <p>Every read either returns a value or records one problem at this node's path and returns
 * empty, so a caller binds what it can and goes on. Problems show the value as written in the
 * file ({@link #shown()}), never the result of interpolation, so secrets stay out of them.
 */
public final class Node {

    private static final int MAX_SHOWN = 100;

    private final String path;
    private final String key;
    private final JsonNode json;
    private final Map<String, String> env;
    private final Problems problems;

    private Node(String path, String key, JsonNode json, Map<String, String> env, Problems problems) {
        this.path = path;
        this.key = key;
        this.json = json == null ? MissingNode.getInstance() : json;
        this.env = env;
        this.problems = problems;
    }

    public static Node root(JsonNode json, Map<String, String> env, Problems problems) {
        return new Node("", null, json, env, problems);
    }

    public String path() {
        return path;
    }

    /** The key this node is the value of, or {@code null} for a list element or the root. */
    public String key() {
        return key;
    }

    public JsonNode json() {
        return json;
    }

    public Node child(String name, JsonNode value) {
        return new Node(path.isEmpty() ? name : path + '.' + name, name, value, env, problems);
    }

    public Node element(int index, JsonNode value) {
        return new Node(path + '[' + index + ']', null, value, env, problems);
    }

    /** Absent from the file, or written without a value ({@code key:} or {@code ~}). */
    public boolean isAbsent() {
        return json.isMissingNode() || json.isNull();
    }

    public Problems problems() {
        return problems;
    }

    /** The value as written in the file: a quoted string, a number, {@code a mapping}, … */
    public String shown() {
        if (json.isMissingNode()) {
            return "missing";
        } else if (json.isNull()) {
            return "null";
        } else if (json.isTextual()) {
            return quote(json.textValue());
        } else if (json.isArray()) {
            return json.isEmpty() ? "[]" : "a list";
        } else if (json.isObject()) {
            return json.isEmpty() ? "{}" : "a mapping";
        }
        return json.asText();
    }

    /** Records {@code path: SHOWN (expected: EXPECTED)}. */
    public void invalid(String expected) {
        problems.error(path, shown() + " (expected: " + expected + ")");
    }

    public void error(String message) {
        problems.error(path, message);
    }

    public void warn(String message) {
        problems.warn(path, message);
    }

    /** The text of a scalar, interpolated; numbers and booleans give their YAML text. */
    public Optional<String> text(String expected) {
        if (json.isTextual()) {
            Interpolation result = Interpolation.expand(json.textValue(), env);
            for (String name : result.unset()) {
                error("environment variable " + name + " is not set");
            }
            if (result.malformed()) {
                invalid(Interpolation.EXPECTED);
            }
            return result.ok() ? Optional.of(result.value()) : Optional.empty();
        } else if (json.isValueNode() && !json.isNull()) {
            return Optional.of(json.asText());
        }
        invalid(expected);
        return Optional.empty();
    }

    /** A scalar converted by {@code parse}, which throws {@link BadValue} when the text is wrong. */
    public <T> Optional<T> as(String expected, Function<String, T> parse) {
        Optional<String> text = text(expected);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(text.get()));
        } catch (BadValue e) {
            invalid(e.expected());
            return Optional.empty();
        }
    }

    public Optional<String> matching(Pattern pattern, String expected) {
        return as(expected, text -> {
            if (!pattern.matcher(text).matches()) {
                throw new BadValue(expected);
            }
            return text;
        });
    }

    /** An integer in {@code [min, max]}, written as a YAML integer or a decimal or {@code 0x} string. */
    public Optional<Long> integer(long min, long max, String expected) {
        BigInteger value;
        if (json.isIntegralNumber()) {
            value = json.bigIntegerValue();
        } else if (json.isTextual()) {
            Optional<String> text = text(expected);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            value = Values.integer(text.get());
        } else {
            value = null;
        }
        if (value == null || value.compareTo(BigInteger.valueOf(min)) < 0) {
            invalid(expected);
            return Optional.empty();
        } else if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            invalid("at most " + max);
            return Optional.empty();
        }
        return Optional.of(value.longValueExact());
    }

    public Optional<Integer> integer(int min, String expected) {
        return integer(min, Integer.MAX_VALUE, expected).map(Long::intValue);
    }

    public Optional<Duration> duration(boolean positive) {
        Optional<Duration> duration = as(Values.DURATION, Values::duration);
        if (positive && duration.filter(Duration::isZero).isPresent()) {
            invalid("> 0");
            return Optional.empty();
        }
        return duration;
    }

    public Optional<Boolean> bool() {
        if (json.isBoolean()) {
            return Optional.of(json.booleanValue());
        }
        return as("true or false", text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadValue("true or false");
        });
    }

    /** The elements of a list, each with its path. */
    public Optional<List<Node>> list(String expected) {
        if (!json.isArray()) {
            invalid(expected);
            return Optional.empty();
        }
        List<Node> elements = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            elements.add(element(i, json.get(i)));
        }
        return Optional.of(elements);
    }

    /**
     * Binds every element of a list with {@code bind}, each element reporting its own problems: the
     * bound values in order, or empty when this is not a list or any element did not bind.
     *
     * @param atLeastOne what an empty list lacks ({@code "at least one chain"}), or null when an empty
     *                   list is fine
     * @param onlyOne    the warning for a list of a single element, or null for none
     */
    public <T> Optional<List<T>> each(String expected, String atLeastOne, String onlyOne,
                                      Function<Node, Optional<T>> bind) {
        Optional<List<Node>> elements = list(expected);
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        if (elements.get().isEmpty() && atLeastOne != null) {
            invalid(atLeastOne);
            return Optional.empty();
        }
        if (elements.get().size() == 1 && onlyOne != null) {
            warn(onlyOne);
        }
        List<T> bound = new ArrayList<>(elements.get().size());
        for (Node element : elements.get()) {
            bind.apply(element).ifPresent(bound::add);
        }
        return bound.size() == elements.get().size() ? Optional.of(bound) : Optional.empty();
    }

    /** Binds one element of a list of mappings, given the element and its mapping. */
    @FunctionalInterface
    public interface MappingBinder<T> {
        Optional<T> bind(Node element, Mapping mapping);
    }

    /**
     * {@link #each} for a list whose elements are mappings that may hold only {@code keys}: an element
     * that is not a mapping is reported as not {@code elementExpected}, and the others go to {@code bind}.
     */
    public <T> Optional<List<T>> eachMapping(String expected, String atLeastOne, String onlyOne,
                                             List<String> keys, String elementExpected, MappingBinder<T> bind) {
        return each(expected, atLeastOne, onlyOne,
                element -> element.mapping(keys, elementExpected).flatMap(mapping -> bind.bind(element, mapping)));
    }

    /** A mapping that may hold only {@code keys}; the others are reported as it is iterated. */
    public Optional<Mapping> mapping(List<String> keys, String expected) {
        if (!json.isObject()) {
            invalid(expected);
            return Optional.empty();
        }
        return Optional.of(new Mapping(this, keys));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 8).append('"');
        int end = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            out.append('…');
        }
        return out.append('"').toString();
    }
}
