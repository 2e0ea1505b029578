package dev.outlast.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code frontDoors:} entry: the service's own hostname, steered through DNS across CDN paths.
 * The record points at one target, the active one; it moves only when the active path fails by the
 * path's fault while another target passes (see {@code dev.outlast.frontdoor.Steering}).
 *
 * @param name     a short name for the API, the status page and the monitor's subjects
 *                 ({@code frontdoor/<name>/<target>}), {@code [a-z0-9-]+}
 * @param hostname the steered name, lower case, without the trailing dot ({@code www.example.com})
 * @param ttl      the TTL written on the record, whole seconds, at least one; default 30s
 * @param failback what happens once the preferred target passes again
 * @param targets  the CDN paths, in order of preference: the first is the preferred one
 * @param dns      every provider the record is written to (each one, independently)
 * @param serve    the built-in authoritative server answering for {@code hostname}, or {@code null}
 * @param steering when to move: hysteresis, failback delay, flap damping, probe timing
 *
 * <p>Thread-safe (immutable).
 */
public record FrontDoorConfig(String name, String hostname, Duration ttl, Failback failback,
                              List<Target> targets, List<DnsConfig> dns, Serve serve, Steering steering) {

    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    /** What happens once the preferred target passes again after a move away from it. */
    public enum Failback {
        /** Move back once the preferred target has passed for {@link Steering#failbackAfter()}. */
        AUTO,
        /** Stay on the target moved to until an operator moves back (or it fails in turn). */
        MANUAL;

        /** {@code auto} or {@code manual}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One CDN path: what the record says when it is active (exactly one of a CNAME, IPv4 addresses or
     * IPv6 addresses), and how it is probed.
     *
     * @param name   unique in the front door
     * @param vendor the vendor label of the CDN ({@code cloudflare}), or {@code null}: its maintenance
     *               windows drain the target
     * @param cname  the CNAME target, or {@code null}
     * @param a      IPv4 addresses, or empty
     * @param aaaa   IPv6 addresses, or empty
     * @param probe  how the path is checked
     */
    public record Target(String name, String vendor, String cname, List<String> a, List<String> aaaa, Probe probe) {

        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
            a = List.copyOf(a);
            aaaa = List.copyOf(aaaa);
            int kinds = (cname != null ? 1 : 0) + (a.isEmpty() ? 0 : 1) + (aaaa.isEmpty() ? 0 : 1);
            if (kinds != 1) {
                throw new IllegalArgumentException("target " + name + ": exactly one of cname, a and aaaa");
            }
        }

        /** A CNAME target. */
        public static Target cname(String name, String vendor, String cname, Probe probe) {
            return new Target(name, vendor, cname, List.of(), List.of(), probe);
        }

        /** Where a probe connects when {@link Probe#connectTo()} is not set: the CNAME or the first address. */
        public String defaultConnectHost() {
            return cname != null ? cname : !a.isEmpty() ? a.get(0) : aaaa.get(0);
        }
    }

    /**
     * A probe of one path: a GET of {@code url} sent to {@code connectTo} (the CDN's edge), with the
     * URL's host as {@code Host}, TLS SNI and the name the certificate must carry. A 2xx passes.
     *
     * @param url         {@code http} or {@code https} URL on the steered hostname
     * @param connectHost where to connect (a name or an address), or {@code null} for the target's own
     *                    CNAME or first address
     * @param connectPort the port to connect to, or 0 for the URL's
     * @param interval    time between probes, or {@code null} for {@link Steering#probeInterval()}
     * @param timeout     the deadline of one probe, or {@code null} for {@link Steering#probeTimeout()}
     */
    public record Probe(java.net.URI url, String connectHost, int connectPort, Duration interval, Duration timeout) {

        public Probe {
            Objects.requireNonNull(url, "url");
        }

        /** {@code connectTo} as written: {@code host}, {@code host:port}, or {@code null}. */
        public String connectTo() {
            if (connectHost == null) {
                return null;
            }
            String host = connectHost.contains(":") ? "[" + connectHost + "]" : connectHost;
            return connectPort == 0 ? connectHost : host + ":" + connectPort;
        }
    }

    /**
     * The built-in authoritative server: answers for the hostname over UDP and TCP and refuses every
     * other name.
     *
     * @param host the address to listen on ({@code 0.0.0.0})
     * @param port the port ({@code 53}; 0 picks a free one)
     */
    public record Serve(String host, int port) {

        public Serve {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * When the record moves.
     *
     * @param failAfter         consecutive probes of the active target failing by its path's fault
     *                          before moving away (hysteresis), default {@value #DEFAULT_FAIL_AFTER}
     * @param failbackAfter     how long the preferred target must pass, and the record stay unchanged,
     *                          before moving back to it ({@code failback: auto}), default 2m
     * @param minChangeInterval the least time between two automatic changes of the record (flap
     *                          damping), default 30s; operator moves and maintenance drains are not damped
     * @param probeInterval     time between two probes of a target, default 2s
     * @param probeTimeout      the deadline of one probe, default 2s
     */
    public record Steering(int failAfter, Duration failbackAfter, Duration minChangeInterval, Duration probeInterval,
                           Duration probeTimeout) {

        public static final int DEFAULT_FAIL_AFTER = 3;
        public static final Duration DEFAULT_FAILBACK_AFTER = Duration.ofMinutes(2);
        public static final Duration DEFAULT_MIN_CHANGE_INTERVAL = Duration.ofSeconds(30);
        public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);
        public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);

        /**
         * Every default. With {@code ttl: 5s}, users see errors for at most about 15 s after a path
         * fails: the next probe within 2 s, three failed probes 4 s later (each at most 2 s long), the
         * write, then at most 5 s of cached answers.
         */
        public static final Steering DEFAULT = new Steering(DEFAULT_FAIL_AFTER, DEFAULT_FAILBACK_AFTER,
                DEFAULT_MIN_CHANGE_INTERVAL, DEFAULT_PROBE_INTERVAL, DEFAULT_PROBE_TIMEOUT);

        public Steering {
            if (failAfter < 1) {
                throw new IllegalArgumentException("failAfter: " + failAfter + " (expected: >= 1)");
            }
            requireNotNegative("failbackAfter", failbackAfter);
            requireNotNegative("minChangeInterval", minChangeInterval);
            ChainConfig.requirePositive("probeInterval", probeInterval);
            ChainConfig.requirePositive("probeTimeout", probeTimeout);
        }

        private static void requireNotNegative(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
            }
        }
    }

    public FrontDoorConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostname, "hostname");
        hostname = hostname.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(failback, "failback");
        Objects.requireNonNull(steering, "steering");
        targets = List.copyOf(targets);
        dns = List.copyOf(dns);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: whole seconds, at least 1s)");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: [] (expected: at least one target)");
        }
        if (dns.isEmpty() && serve == null) {
            throw new IllegalArgumentException("front door " + name + ": needs dns providers or serve");
        }
    }

    /** The preferred target: the first. */
    public Target preferred() {
        return targets.get(0);
    }

    /** Whether {@code name} (lower case, without the trailing dot) is {@code zone} or a name under it. */
    public static boolean inZone(String name, String zone) {
        String z = zoneName(zone);
        return name.equals(z) || name.endsWith("." + z);
    }

    /** {@code zone} in lower case, without the trailing dot. */
    public static String zoneName(String zone) {
        String z = zone.toLowerCase(Locale.ROOT);
        return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
    }
}
