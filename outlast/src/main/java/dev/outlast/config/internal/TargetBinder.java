package dev.outlast.config.internal;

import dev.outlast.config.FrontDoorConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code frontDoors[].targets}: each CDN path, its record (exactly one of {@code cname},
 * {@code a} and {@code aaaa}) and its probe. Target names are unique within the front door.
 */
final class TargetBinder {

    static final String TARGETS = "a list of targets";
    static final Pattern HOST = Pattern.compile(
            "(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\\.?");
    static final String HOST_EXPECTED = "a host name such as www.example.com";

    private static final List<String> KEYS = List.of("name", "vendor", "cname", "a", "aaaa", "probe");
    private static final List<String> PROBE_KEYS = List.of("url", "connectTo", "interval", "timeout");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String NAME_EXPECTED = "a target name matching [a-z0-9][a-z0-9-]{0,62}";
    private static final String CONNECT_TO = "host or host:port of the CDN's edge";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private TargetBinder() {
    }

    static Optional<List<FrontDoorConfig.Target>> bindAll(Node node) {
        Uniques names = new Uniques("unique within the front door");
        return node.eachMapping(TARGETS, "at least one target", "only one target (the record has nowhere to move)",
                KEYS, "a target, a mapping with name, cname (or a or aaaa) and probe",
                (element, mapping) -> bind(element, mapping, names));
    }

    private static Optional<FrontDoorConfig.Target> bind(Node node, Mapping mapping, Uniques names) {
        int errors = node.problems().errorCount();
        String name = null;
        String vendor = null;
        String cname = null;
        List<String> a = List.of();
        List<String> aaaa = List.of();
        FrontDoorConfig.Probe probe = null;
        for (Node value : mapping) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, NAME_EXPECTED)
                        .filter(text -> names.first(node, value, text))
                        .orElse(null);
                case "vendor" -> vendor = value.as(VendorLabels.EXPECTED, VendorLabels::label).orElse(null);
                case "cname" -> cname = value.as(HOST_EXPECTED, TargetBinder::hostName).orElse(null);
                case "a" -> a = addresses(value, IPV4, Inet4Address.class, "an IPv4 address such as 192.0.2.10");
                case "aaaa" -> aaaa = addresses(value, IPV6, Inet6Address.class, "an IPv6 address such as 2001:db8::10");
                case "probe" -> probe = bindProbe(value).orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.require("name", NAME_EXPECTED);
        mapping.require("probe", "a probe, a mapping with url and connectTo");
        int kinds = (mapping.has("cname") ? 1 : 0) + (mapping.has("a") ? 1 : 0) + (mapping.has("aaaa") ? 1 : 0);
        if (kinds == 0) {
            node.error("needs one of cname, a and aaaa (what the record says when this target is active)");
        } else if (kinds > 1) {
            node.error("needs exactly one of cname, a and aaaa (one record type per target)");
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new FrontDoorConfig.Target(name, vendor, cname, a, aaaa, probe));
    }

    /** A host name, lower case, without the trailing dot. */
    static String hostName(String text) {
        if (!HOST.matcher(text).matches() || text.length() > 254) {
            throw new BadValue(HOST_EXPECTED);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static List<String> addresses(Node node, Pattern form, Class<? extends InetAddress> family,
                                          String expected) {
        List<String> out = new ArrayList<>();
        List<Node> elements = node.list("a list of addresses").orElse(List.of());
        if (node.json().isArray() && elements.isEmpty()) {
            node.invalid("at least one address");
        }
        for (Node element : elements) {
            element.as(expected, text -> address(text, form, family, expected)).ifPresent(out::add);
        }
        return out.size() == elements.size() ? out : List.of();
    }

    private static String address(String text, Pattern form, Class<? extends InetAddress> family, String expected) {
        if (!form.matcher(text).matches()) {
            throw new BadValue(expected);
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            if (!family.isInstance(address)) {
                throw new BadValue(expected);
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            throw new BadValue(expected);
        }
    }

    private static Optional<FrontDoorConfig.Probe> bindProbe(Node node) {
        Optional<Mapping> mapping = node.mapping(PROBE_KEYS, "a probe, a mapping with url and connectTo");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        URI url = null;
        Values.HostPort connectTo = null;
        Duration interval = null;
        Duration timeout = null;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "url" -> url = value.as(Values.URL, Values::url).orElse(null);
                case "connectTo" -> connectTo = value.as(CONNECT_TO, TargetBinder::connectTo).orElse(null);
                case "interval" -> interval = value.duration(true).orElse(null);
                case "timeout" -> timeout = value.duration(true).orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("url", Values.URL);
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new FrontDoorConfig.Probe(url, connectTo == null ? null : connectTo.host(),
                connectTo == null ? 0 : connectTo.port(), interval, timeout));
    }

    /** {@code host}, {@code host:port}, an address, or {@code [v6]:port}; port 0 when not written. */
    private static Values.HostPort connectTo(String text) {
        if (IPV6.matcher(text).matches() && !text.startsWith("[")) {
            return new Values.HostPort(address(text, IPV6, Inet6Address.class, CONNECT_TO), 0);
        }
        if (text.contains(":")) {
            Values.HostPort hp;
            try {
                hp = Values.hostPort(text);
            } catch (BadValue e) {
                throw new BadValue(CONNECT_TO);
            }
            if (hp.port() == 0) {
                throw new BadValue(CONNECT_TO + ", with a port in 1..65535");
            }
            return new Values.HostPort(hp.host().contains(":") ? hp.host() : hostName(hp.host()), hp.port());
        }
        try {
            return new Values.HostPort(hostName(text), 0);
        } catch (BadValue e) {
            throw new BadValue(CONNECT_TO);
        }
    }
}
