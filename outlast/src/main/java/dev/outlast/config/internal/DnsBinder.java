package dev.outlast.config.internal;

import dev.outlast.config.DnsConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/**
 * Binds one entry of {@code frontDoors[].dns}: where a front door's record is written.
 *
 * <pre>{@code
 * - type: rfc2136                 # dynamic update, as nsupdate does: BIND, Knot, PowerDNS, Windows DNS
 *   server: ns1.example.net:53    # the primary; the port defaults to 53
 *   zone: example.com
 *   tsig: {name: outlast, algorithm: hmac-sha256, secret: ${TSIG_SECRET}}   # optional; base64 as in BIND key files
 * - type: route53                 # credentials: the AWS SDK's default chain
 *   hostedZoneId: Z0123456789ABCDEFGHIJ
 *   zone: example.com             # the hosted zone's name
 *   endpoint: https://route53.example.internal   # optional: another API address (a private endpoint, tests)
 * - type: cloudflare
 *   zoneId: 023e105f4ecef8ad9ca31a8372d0c353
 *   zone: example.com
 *   token: ${CF_DNS_TOKEN}        # an API token with DNS edit permission on the zone
 *   endpoint: https://cf-proxy.example.internal/client/v4   # optional, instead of https://api.cloudflare.com/client/v4
 * }</pre>
 *
 * <p>Every entry takes {@code dryRun: true} (log and show what would be written; write nothing). Secrets (the
 * TSIG secret, the token) never appear in a problem, not even when written in the file. Whether the front door's
 * hostname is in {@code zone} is checked by the front door's binder, which knows the hostname.
 */
public final class DnsBinder {

    static final String TYPES = "rfc2136, route53 or cloudflare";

    private static final List<String> RFC2136_KEYS = List.of("type", "server", "zone", "tsig", "dryRun");
    private static final List<String> ROUTE53_KEYS = List.of("type", "hostedZoneId", "zone", "endpoint", "dryRun");
    private static final List<String> CLOUDFLARE_KEYS = List.of("type", "zoneId", "zone", "token", "endpoint",
                                                                "dryRun");
    private static final List<String> TSIG_KEYS = List.of("name", "algorithm", "secret");
    private static final List<String> ALGORITHMS = List.of("hmac-sha256", "hmac-sha512", "hmac-sha384",
                                                           "hmac-sha224", "hmac-sha1", "hmac-md5");
    private static final String ALGORITHMS_EXPECTED = "hmac-sha256, hmac-sha512, hmac-sha384, hmac-sha224, "
                                                      + "hmac-sha1 or hmac-md5";
    private static final Pattern NAME = Pattern.compile(
            "(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\\.?");
    private static final String ZONE_EXPECTED = "a zone name such as example.com";
    private static final String SERVER_EXPECTED = "host:port of the primary server, such as ns1.example.net:53";
    private static final Pattern HOSTED_ZONE_ID = Pattern.compile("(/hostedzone/)?([A-Z0-9]{1,32})");
    private static final String HOSTED_ZONE_EXPECTED = "a hosted zone id such as Z0123456789ABCDEFGHIJ";
    private static final Pattern ZONE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String ZONE_ID_EXPECTED = "a Cloudflare zone id, 32 hex digits";
    private static final String TOKEN_EXPECTED = "an API token with DNS edit permission, such as ${CF_DNS_TOKEN}";
    private static final String SECRET_EXPECTED = "the key's secret, base64";

    private DnsBinder() {
    }

    /**
     * Binds {@code node}, one element of a {@code dns:} list.
     *
     * @return the entry, or empty after recording each problem at its path
     */
    public static Optional<DnsConfig> bind(Node node) {
        if (!node.json().isObject()) {
            node.invalid("a DNS provider, a mapping with type and zone");
            return Optional.empty();
        }
        Node type = node.child("type", node.json().get("type"));
        if (type.isAbsent()) {
            type.invalid(TYPES);
            return Optional.empty();
        }
        Optional<String> word = type.text(TYPES);
        if (word.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        Optional<DnsConfig> config = switch (word.get()) {
            case "rfc2136" -> rfc2136(node);
            case "route53" -> route53(node);
            case "cloudflare" -> cloudflare(node);
            default -> {
                type.invalid(TYPES);
                yield Optional.empty();
            }
        };
        return node.problems().errorCount() > errors ? Optional.empty() : config;
    }

    private static Optional<DnsConfig> rfc2136(Node node) {
        Mapping mapping = node.mapping(RFC2136_KEYS, "").orElseThrow();
        Shared shared = new Shared();
        InetSocketAddress server = null;
        DnsConfig.Tsig tsig = null;
        for (Node value : mapping) {
            if (value.key().equals("server")) {
                server = value.as(SERVER_EXPECTED, DnsBinder::server).orElse(null);
            } else if (value.key().equals("tsig")) {
                tsig = tsig(value).orElse(null);
            } else {
                shared.take(value);
            }
        }
        mapping.require("server", SERVER_EXPECTED);
        return !shared.complete(mapping) || server == null ? Optional.empty()
                : Optional.of(new DnsConfig.Rfc2136(server, shared.zone, tsig, shared.dryRun));
    }

    private static Optional<DnsConfig> route53(Node node) {
        Mapping mapping = node.mapping(ROUTE53_KEYS, "").orElseThrow();
        Shared shared = new Shared();
        String hostedZoneId = null;
        for (Node value : mapping) {
            if (value.key().equals("hostedZoneId")) {
                hostedZoneId = value.matching(HOSTED_ZONE_ID, HOSTED_ZONE_EXPECTED)
                        .map(text -> HOSTED_ZONE_ID.matcher(text).replaceFirst("$2")).orElse(null);
            } else {
                shared.take(value);
            }
        }
        mapping.require("hostedZoneId", HOSTED_ZONE_EXPECTED);
        return !shared.complete(mapping) || hostedZoneId == null ? Optional.empty()
                : Optional.of(new DnsConfig.Route53(hostedZoneId, shared.zone, shared.endpoint, shared.dryRun));
    }

    private static Optional<DnsConfig> cloudflare(Node node) {
        Mapping mapping = node.mapping(CLOUDFLARE_KEYS, "").orElseThrow();
        Shared shared = new Shared();
        String zoneId = null;
        String token = null;
        for (Node value : mapping) {
            switch (value.key()) {
                case "zoneId" -> zoneId = value.matching(ZONE_ID, ZONE_ID_EXPECTED).orElse(null);
                case "token" -> token = secret(value, TOKEN_EXPECTED).orElse(null);
                default -> shared.take(value);
            }
        }
        mapping.require("zoneId", ZONE_ID_EXPECTED);
        mapping.require("token", TOKEN_EXPECTED);
        return !shared.complete(mapping) || zoneId == null || token == null ? Optional.empty()
                : Optional.of(new DnsConfig.Cloudflare(zoneId, shared.zone, token, shared.endpoint, shared.dryRun));
    }

    /** The keys every provider type takes (its mapping's keys list says which are allowed): type, zone, endpoint, dryRun. */
    private static final class Shared {
        private String zone;
        private URI endpoint;
        private boolean dryRun;

        void take(Node value) {
            switch (value.key()) {
                case "type" -> { }
                case "zone" -> zone = zone(value);
                case "endpoint" -> endpoint = value.as(Values.URL, Values::url).orElse(null);
                case "dryRun" -> dryRun = value.bool().orElse(false);
                default -> throw new AssertionError(value.key());
            }
        }

        /** Whether the zone is given and valid; records its absence. */
        boolean complete(Mapping mapping) {
            mapping.require("zone", ZONE_EXPECTED);
            return zone != null;
        }
    }

    private static Optional<DnsConfig.Tsig> tsig(Node node) {
        Optional<Mapping> mapping = node.mapping(TSIG_KEYS, "a TSIG key, a mapping with name, algorithm and secret");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        String name = null;
        String algorithm = DnsConfig.Tsig.DEFAULT_ALGORITHM;
        String secret = null;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, "the key's name, as in the server's key statement")
                        .map(DnsBinder::lowerWithoutDot).orElse(null);
                case "algorithm" -> algorithm = value.as(ALGORITHMS_EXPECTED, DnsBinder::algorithm).orElse(null);
                case "secret" -> secret = secret(value, SECRET_EXPECTED).filter(text -> base64(value, text))
                        .orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("name", "the key's name, as in the server's key statement");
        mapping.get().require("secret", SECRET_EXPECTED);
        return name == null || algorithm == null || secret == null ? Optional.empty()
                : Optional.of(new DnsConfig.Tsig(name, algorithm, secret));
    }

    /** A secret's text; when it is not a string, the problem says so without showing what was written. */
    private static Optional<String> secret(Node node, String expected) {
        if (!node.json().isTextual()) {
            node.error("not a string (expected: " + expected + ")");
            return Optional.empty();
        }
        Optional<String> text = node.text(expected);
        if (text.filter(String::isBlank).isPresent()) {
            node.error("empty (expected: " + expected + ")");
            return Optional.empty();
        }
        return text;
    }

    private static boolean base64(Node node, String text) {
        try {
            if (Base64.getDecoder().decode(text).length > 0) {
                return true;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below, without the value
        }
        node.error("not base64 (expected: " + SECRET_EXPECTED + ")");
        return false;
    }

    private static String zone(Node node) {
        return node.matching(NAME, ZONE_EXPECTED).map(DnsBinder::lowerWithoutDot).orElse(null);
    }

    private static String algorithm(String text) {
        String algorithm = lowerWithoutDot(text);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new BadValue(ALGORITHMS_EXPECTED);
        }
        return algorithm;
    }

    /** {@code host:port} or {@code host} (port 53); an IP literal is kept as written, a name is looked up later. */
    static InetSocketAddress server(String text) {
        String withPort;
        if (text.startsWith("[")) {
            withPort = text.contains("]:") ? text : text + ":53";
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            withPort = "[" + text + "]:53";
        } else {
            withPort = text.contains(":") ? text : text + ":53";
        }
        Values.HostPort hostPort = Values.hostPort(withPort);
        if (hostPort.port() == 0) {
            throw new BadValue(SERVER_EXPECTED + " and a port in 1..65535");
        }
        String host = hostPort.host();
        byte[] literal = Address.toByteArray(host, host.contains(":") ? Address.IPv6 : Address.IPv4);
        if (literal != null) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(host, literal), hostPort.port());
            } catch (UnknownHostException e) {
                throw new BadValue(SERVER_EXPECTED);
            }
        }
        if (!NAME.matcher(host).matches() || host.contains(":")) {
            throw new BadValue(SERVER_EXPECTED);
        }
        return InetSocketAddress.createUnresolved(host, hostPort.port());
    }

    private static String lowerWithoutDot(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }
}
