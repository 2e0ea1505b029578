package dev.outlast.config.internal;

import dev.outlast.config.UpstreamConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds a chain's {@code upstreams}, and any other list of named URLs ({@link NamedUrls}, e.g. a
 * site's origins). Names are unique within the list; so are URLs, since two entries for one
 * provider would let it agree with itself in consensus (or fail over to itself).
 */
final class UpstreamBinder {

    static final String UPSTREAMS = "a list of upstreams";

    private static final List<String> KEYS = List.of("name", "url");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final String NAME_EXPECTED = "a name matching [A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

    /**
     * What a list of named URLs is called in messages, and how its URLs are read.
     *
     * @param list    what the list is, e.g. {@code a list of upstreams}
     * @param empty   what an empty list lacks, e.g. {@code at least one upstream}
     * @param single  the warning for a list of one
     * @param element what an element is, e.g. {@code an upstream, a mapping with name and url}
     * @param unique  the scope of uniqueness, e.g. {@code unique within the chain}
     * @param url     parses a URL, throwing {@link BadValue}
     */
    record NamedUrls(String list, String empty, String single, String element, String unique,
                     Function<String, URI> url) {
    }

    static final NamedUrls UPSTREAM_LIST = new NamedUrls(UPSTREAMS, "at least one upstream",
            "only one upstream (consensus then trusts a single provider, and failover has nowhere to go)",
            "an upstream, a mapping with name and url", "unique within the chain", Values::url);

    private UpstreamBinder() {
    }

    static Optional<List<UpstreamConfig>> bindAll(Node node) {
        return bindAll(node, UPSTREAM_LIST, UpstreamConfig::new);
    }

    static <T> Optional<List<T>> bindAll(Node node, NamedUrls kind, BiFunction<String, URI, T> make) {
        Optional<List<Node>> elements = node.list(kind.list());
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        if (elements.get().isEmpty()) {
            node.invalid(kind.empty());
            return Optional.empty();
        }
        if (elements.get().size() == 1) {
            node.warn(kind.single());
        }
        List<T> bound = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> urls = new HashMap<>();
        for (Node element : elements.get()) {
            bind(element, kind, names, urls).map(p -> make.apply(p.name(), p.url())).ifPresent(bound::add);
        }
        return bound.size() == elements.get().size() ? Optional.of(bound) : Optional.empty();
    }

    private record NameAndUrl(String name, URI url) {
    }

    private static Optional<NameAndUrl> bind(Node node, NamedUrls kind, Map<String, String> names,
                                             Map<String, String> urls) {
        Optional<Mapping> mapping = node.mapping(KEYS, kind.element());
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        String name = null;
        URI url = null;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, NAME_EXPECTED)
                                           .filter(text -> ChainBinder.unique(value, text, names, node.path(),
                                                                              kind.unique()))
                                           .orElse(null);
                case "url" -> url = value.as(Values.URL, kind.url())
                                         .filter(uri -> ChainBinder.unique(value, uri.toString(), urls, node.path(),
                                                                           kind.unique()))
                                         .orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("name", NAME_EXPECTED);
        mapping.get().require("url", Values.URL);
        return name == null || url == null ? Optional.empty() : Optional.of(new NameAndUrl(name, url));
    }
}
