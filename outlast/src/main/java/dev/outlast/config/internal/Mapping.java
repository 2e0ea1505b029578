package dev.outlast.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A YAML mapping read against the keys it may hold.
 *
 * <p>Iterating yields the entries with a value, in file order, and reports each unknown key as the
 * iteration reaches it, so problems come out in order of appearance. A key written without a value
 * ({@code server:}) counts as absent.
 */
public final class Mapping implements Iterable<Node> {

    private final Node node;
    private final List<String> keys;

    Mapping(Node node, List<String> keys) {
        this.node = node;
        this.keys = keys;
    }

    /** Whether {@code key} is present with a value. */
    public boolean has(String key) {
        JsonNode value = node.json().get(key);
        return value != null && !value.isNull();
    }

    /** Reports {@code path.key: missing (expected: EXPECTED)} unless the key has a value. */
    public void require(String key, String expected) {
        if (!has(key)) {
            node.child(key, null).invalid(expected);
        }
    }

    @Override
    public Iterator<Node> iterator() {
        Iterator<Map.Entry<String, JsonNode>> entries = node.json().properties().iterator();
        return new Iterator<>() {
            private Node next;

            @Override
            public boolean hasNext() {
                while (next == null && entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    Node child = node.child(entry.getKey(), entry.getValue());
                    if (!keys.contains(entry.getKey())) {
                        child.error("unknown key (expected one of: " + String.join(", ", keys) + ")");
                    } else if (!child.isAbsent()) {
                        next = child;
                    }
                }
                return next != null;
            }

            @Override
            public Node next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Node result = next;
                next = null;
                return result;
            }
        };
    }
}
