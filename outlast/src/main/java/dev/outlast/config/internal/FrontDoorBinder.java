package dev.outlast.config.internal;

import dev.outlast.config.DnsConfig;
import dev.outlast.config.FrontDoorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Binds {@code frontDoors}: each front door, its targets ({@link TargetBinder}), its DNS providers
 * (one {@code dns:} entry each, bound by {@code DnsBinder}), the built-in server and the steering
 * settings. Names and hostnames are unique in the file; the hostname must lie in every provider's
 * zone, and a CNAME target cannot sit at a zone's apex.
 */
final class FrontDoorBinder {

    static final String FRONT_DOORS = "a list of front doors";

    private static final List<String> KEYS = List.of("name", "hostname", "ttl", "failback", "targets", "dns", "serve",
            "failAfter", "failbackAfter", "minChangeInterval", "probeInterval", "probeTimeout");
    private static final List<String> SERVE_KEYS = List.of("listen");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String NAME_EXPECTED = "a front door name matching [a-z0-9][a-z0-9-]{0,62}";
    private static final String FAILBACK = "auto or manual";

    private FrontDoorBinder() {
    }

    static Optional<List<FrontDoorConfig>> bindAll(Node node) {
        Uniques seen = new Uniques("unique");
        return node.eachMapping(FRONT_DOORS, "at least one front door", null, KEYS,
                "a front door, a mapping with name, hostname, targets and dns",
                (element, mapping) -> bind(element, mapping, seen));
    }

    private static Optional<FrontDoorConfig> bind(Node node, Mapping m, Uniques seen) {
        int errors = node.problems().errorCount();
        String name = null;
        String hostname = null;
        Duration ttl = FrontDoorConfig.DEFAULT_TTL;
        FrontDoorConfig.Failback failback = FrontDoorConfig.Failback.AUTO;
        List<FrontDoorConfig.Target> targets = List.of();
        List<DnsConfig> dns = List.of();
        Map<Integer, DnsConfig> bound = new TreeMap<>();
        Node dnsNode = null;
        FrontDoorConfig.Serve serve = null;
        int failAfter = FrontDoorConfig.Steering.DEFAULT_FAIL_AFTER;
        Duration failbackAfter = FrontDoorConfig.Steering.DEFAULT_FAILBACK_AFTER;
        Duration minChange = FrontDoorConfig.Steering.DEFAULT_MIN_CHANGE_INTERVAL;
        Duration probeInterval = FrontDoorConfig.Steering.DEFAULT_PROBE_INTERVAL;
        Duration probeTimeout = FrontDoorConfig.Steering.DEFAULT_PROBE_TIMEOUT;
        for (Node value : m) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, NAME_EXPECTED)
                        .filter(text -> seen.first(node, value, text))
                        .orElse(null);
                case "hostname" -> hostname = value.as(TargetBinder.HOST_EXPECTED, TargetBinder::hostName)
                        .filter(text -> seen.first(node, value, text))
                        .orElse(null);
                case "ttl" -> ttl = value.as(Values.DURATION, FrontDoorBinder::ttl).orElse(ttl);
                case "failback" -> failback = value.as(FAILBACK, FrontDoorBinder::failback).orElse(failback);
                case "targets" -> targets = TargetBinder.bindAll(value).orElse(targets);
                case "dns" -> {
                    dnsNode = value;
                    dns = bindDns(value, bound).orElse(dns);
                }
                case "serve" -> serve = bindServe(value).orElse(null);
                case "failAfter" -> failAfter = value.integer(1, 1000, "a number of probes, at least 1")
                        .map(Long::intValue).orElse(failAfter);
                case "failbackAfter" -> failbackAfter = value.duration(false).orElse(failbackAfter);
                case "minChangeInterval" -> minChange = value.duration(false).orElse(minChange);
                case "probeInterval" -> probeInterval = value.duration(true).orElse(probeInterval);
                case "probeTimeout" -> probeTimeout = value.duration(true).orElse(probeTimeout);
                default -> throw new AssertionError(value.key());
            }
        }
        m.require("name", NAME_EXPECTED);
        m.require("hostname", TargetBinder.HOST_EXPECTED);
        m.require("targets", TargetBinder.TARGETS);
        if (!m.has("dns") && !m.has("serve")) {
            node.child("dns", null).invalid("a list of DNS providers, unless serve is configured");
        }
        if (hostname != null && dnsNode != null) {
            checkZones(dnsNode, bound, hostname, targets);
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FrontDoorConfig(name, hostname, ttl, failback, targets, dns, serve,
                    new FrontDoorConfig.Steering(failAfter, failbackAfter, minChange, probeInterval, probeTimeout)));
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
            return Optional.empty();
        }
    }

    private static Duration ttl(String text) {
        Duration d = Values.duration(text);
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.toMillis() % 1000 != 0) {
            throw new BadValue("whole seconds, at least 1s");
        }
        return d;
    }

    private static FrontDoorConfig.Failback failback(String text) {
        return switch (text) {
            case "auto" -> FrontDoorConfig.Failback.AUTO;
            case "manual" -> FrontDoorConfig.Failback.MANUAL;
            default -> throw new BadValue(FAILBACK);
        };
    }

    /** Binds every entry; those bound go into {@code bound} by index, the list only when all are. */
    private static Optional<List<DnsConfig>> bindDns(Node node, Map<Integer, DnsConfig> bound) {
        Optional<List<Node>> elements = node.list("a list of DNS providers");
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        if (elements.get().isEmpty()) {
            node.invalid("at least one DNS provider");
            return Optional.empty();
        }
        for (int i = 0; i < elements.get().size(); i++) {
            int index = i;
            DnsBinder.bind(elements.get().get(i)).ifPresent(c -> bound.put(index, c));
        }
        return bound.size() == elements.get().size() ? Optional.of(List.copyOf(bound.values())) : Optional.empty();
    }

    /** The hostname must be in each provider's zone; a CNAME is not allowed at a zone's apex. */
    private static void checkZones(Node dnsNode, Map<Integer, DnsConfig> dns, String hostname,
                                   List<FrontDoorConfig.Target> targets) {
        for (Map.Entry<Integer, DnsConfig> e : dns.entrySet()) {
            String zone = e.getValue().zone();
            Node entry = dnsNode.element(e.getKey(), dnsNode.json().get(e.getKey()));
            if (!FrontDoorConfig.inZone(hostname, zone)) {
                entry.error("hostname " + hostname + " is outside this provider's zone " + zone);
            } else if (hostname.equals(FrontDoorConfig.zoneName(zone))) {
                for (FrontDoorConfig.Target t : targets) {
                    if (t.cname() != null) {
                        entry.error("hostname " + hostname + " is the apex of zone " + zone
                                + ", where target " + t.name() + " cannot be a CNAME (use a or aaaa)");
                    }
                }
            }
        }
    }

    private static Optional<FrontDoorConfig.Serve> bindServe(Node node) {
        Optional<Mapping> mapping = node.mapping(SERVE_KEYS, "a mapping with listen");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        Values.HostPort listen = null;
        for (Node value : mapping.get()) {
            if (value.key().equals("listen")) {
                listen = value.as(Values.LISTEN, Values::hostPort).orElse(null);
            }
        }
        mapping.get().require("listen", Values.LISTEN);
        return listen == null ? Optional.empty() : Optional.of(new FrontDoorConfig.Serve(listen.host(), listen.port()));
    }
}
