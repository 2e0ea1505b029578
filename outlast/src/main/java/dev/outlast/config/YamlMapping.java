package dev.outlast.config;

import dev.outlast.config.internal.Mapping;
import dev.outlast.config.internal.Node;
import java.util.Iterator;

/**
 * A YAML mapping of a {@link YamlDocument}, read against the keys it may hold.
 *
 * <p>Iterating yields the entries with a value, in file order, and reports each unknown key as the
 * iteration reaches it ({@code path.key: unknown key (expected one of: ...)}), so problems come out in
 * order of appearance. A key written without a value ({@code faults:}) counts as absent.
 *
 * <p>Not thread-safe: it records into its document's problems.
 */
public final class YamlMapping implements Iterable<YamlNode> {

    private final Mapping mapping;

    YamlMapping(Mapping mapping) {
        this.mapping = mapping;
    }

    /** Records {@code path.key: missing (expected: EXPECTED)} unless the key has a value. */
    public void require(String key, String expected) {
        mapping.require(key, expected);
    }

    @Override
    public Iterator<YamlNode> iterator() {
        Iterator<Node> nodes = mapping.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return nodes.hasNext();
            }

            @Override
            public YamlNode next() {
                return new YamlNode(nodes.next());
            }
        };
    }
}
