package dev.outlast.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.internal.Node;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A node of a {@link YamlDocument} and its YAML path ({@code phases[2].faults}).
 *
 * <p>Every read either returns a value or records one problem at this node's path, in the form
 * {@code PATH: VALUE (expected: EXPECTED)}, and returns empty, so a caller binds what it can and goes
 * on. Strings are interpolated as they are read; problems show the value as written in the file.
 *
 * <p>Not thread-safe: it records into its document's problems.
 */
public final class YamlNode {

    private final Node node;

    YamlNode(Node node) {
        this.node = node;
    }

    /** Where this node is, e.g. {@code phases[2].faults.alpha}; empty for the root. */
    public String path() {
        return node.path();
    }

    /** The key this node is the value of, or {@code null} for a list element or the root. */
    public String key() {
        return node.key();
    }

    /** The node as parsed, before interpolation; a missing node when absent. */
    public JsonNode json() {
        return node.json();
    }

    /** The value {@code value} of key {@code name} in this mapping ({@code null}: absent), at {@code path.name}. */
    public YamlNode child(String name, JsonNode value) {
        return new YamlNode(node.child(name, value));
    }

    /** Records {@code path: VALUE (expected: EXPECTED)}, the value as written. */
    public void invalid(String expected) {
        node.invalid(expected);
    }

    /** Records {@code path: MESSAGE}. */
    public void error(String message) {
        node.error(message);
    }

    /** The text of a scalar, interpolated; numbers and booleans give their YAML text. */
    public Optional<String> text(String expected) {
        return node.text(expected);
    }

    /** The text of a scalar if the whole of it matches {@code pattern}. */
    public Optional<String> matching(Pattern pattern, String expected) {
        return node.matching(pattern, expected);
    }

    /**
     * An integer in {@code [min, max]}, written as a YAML integer or a decimal or {@code 0x} string; a value
     * above {@code max} is reported as {@code (expected: at most MAX)}.
     */
    public Optional<Long> integer(long min, long max, String expected) {
        return node.integer(min, max, expected);
    }

    /** A duration written {@code 250ms}, {@code 10s}, {@code 2m} or {@code 1h}; with {@code positive}, not zero. */
    public Optional<Duration> duration(boolean positive) {
        return node.duration(positive);
    }

    /** The elements of a list, each with its path ({@code path[i]}). */
    public Optional<List<YamlNode>> list(String expected) {
        return node.list(expected).map(elements -> elements.stream().map(YamlNode::new).toList());
    }

    /** A mapping that may hold only {@code keys}; the others are reported as it is iterated. */
    public Optional<YamlMapping> mapping(List<String> keys, String expected) {
        return node.mapping(keys, expected).map(YamlMapping::new);
    }

    /** How many errors the document has recorded so far, by any of its nodes. */
    public int errorCount() {
        return node.problems().errorCount();
    }
}
