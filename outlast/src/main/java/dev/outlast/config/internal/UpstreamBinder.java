package dev.outlast.config.internal;

import dev.outlast.config.UpstreamConfig;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds a chain's {@code upstreams}. Names are unique within the chain; so are URLs, since two
 * entries for one provider would let it agree with itself in consensus.
 */
final class UpstreamBinder {

    static final String UPSTREAMS = "a list of upstreams";

    private static final List<String> KEYS = List.of("name", "url", "ws", "rateLimit", "vendor");
    static final String RATE = "a rate such as 25/s, 1500/m or 25 (per second)";
    private static final Pattern RATE_FORM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,6})?)\\s*(?:/\\s*(s|m|h))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final String NAME_EXPECTED = "a name matching [A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

    private UpstreamBinder() {
    }

    static Optional<List<UpstreamConfig>> bindAll(Node node) {
        Uniques seen = new Uniques("unique within the chain");
        return node.eachMapping(UPSTREAMS, "at least one upstream",
                "only one upstream (consensus then trusts a single provider, and failover has nowhere to go)",
                KEYS, "an upstream, a mapping with name and url", (element, mapping) -> bind(element, mapping, seen));
    }

    private static Optional<UpstreamConfig> bind(Node node, Mapping mapping, Uniques seen) {
        String name = null;
        URI url = null;
        double rateLimit = 0;
        String vendor = null;
        URI ws = null;
        for (Node value : mapping) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, NAME_EXPECTED)
                                           .filter(text -> seen.first(node, value, text))
                                           .orElse(null);
                case "url" -> url = value.as(Values.URL, Values::url)
                                         .filter(uri -> seen.first(node, value, uri.toString()))
                                         .orElse(null);
                case "ws" -> ws = value.as(Values.WS_URL, Values::wsUrl)
                                       .filter(uri -> seen.first(node, value, uri.toString()))
                                       .orElse(null);
                case "rateLimit" -> rateLimit = value.as(RATE, UpstreamBinder::rate).orElse(rateLimit);
                case "vendor" -> vendor = value.as(VendorLabels.EXPECTED, VendorLabels::label).orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.require("name", NAME_EXPECTED);
        mapping.require("url", Values.URL);
        return name == null || url == null ? Optional.empty() : Optional.of(
                new UpstreamConfig(name, url, rateLimit, vendor, ws));
    }

    /** Requests per second from {@code 25/s}, {@code 1500/m}, {@code 90000/h} or {@code 25}. */
    static double rate(String text) {
        java.util.regex.Matcher m = RATE_FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new BadValue(RATE);
        }
        double n = Double.parseDouble(m.group(1));
        double perSecond = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> n / 60;
            case "h" -> n / 3600;
            default -> n;
        };
        if (perSecond <= 0) {
            throw new BadValue(RATE);
        }
        return perSecond;
    }
}
