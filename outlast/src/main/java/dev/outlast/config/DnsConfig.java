package dev.outlast.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * One entry of {@code frontDoors[].dns}: a DNS provider a front door's record is written to. Every
 * provider of a front door is written; two keep DNS itself off one vendor.
 *
 * <p>Thread-safe (immutable).
 */
public sealed interface DnsConfig {

    /** The {@code type:} word: {@code rfc2136}, {@code route53} or {@code cloudflare}. */
    String type();

    /** The zone the provider serves (a name such as {@code example.com}); the front door's hostname must be in it. */
    String zone();

    /** Whether to log and show what would be written, writing nothing. */
    boolean dryRun();

    /**
     * A TSIG key, as in a BIND key file.
     *
     * @param name      the key's name ({@code outlast})
     * @param algorithm {@code hmac-sha256} (default), {@code hmac-sha512}, {@code hmac-sha384},
     *                  {@code hmac-sha224}, {@code hmac-sha1} or {@code hmac-md5}
     * @param secret    the key, base64 as in the key file; never logged or shown
     */
    record Tsig(String name, String algorithm, String secret) {

        public static final String DEFAULT_ALGORITHM = "hmac-sha256";

        public Tsig {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Tsig[name=" + name + ", algorithm=" + algorithm + ", secret=<redacted>]";
        }
    }

    /**
     * Dynamic update (RFC 2136) with TSIG, as {@code nsupdate} does: BIND, Knot, PowerDNS, Windows DNS.
     *
     * @param server the primary server's address ({@code ns1.example.net:53})
     * @param zone   the zone updated
     * @param tsig   the key that signs updates and read-back queries, or null for none
     */
    record Rfc2136(InetSocketAddress server, String zone, Tsig tsig, boolean dryRun) implements DnsConfig {

        public Rfc2136 {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public String type() {
            return "rfc2136";
        }
    }

    /**
     * Amazon Route 53, through the AWS SDK's default credentials chain.
     *
     * @param hostedZoneId the hosted zone's id ({@code Z123...})
     * @param zone         the hosted zone's name
     * @param endpoint     the API's address, or null for AWS's own
     */
    record Route53(String hostedZoneId, String zone, URI endpoint, boolean dryRun) implements DnsConfig {

        public Route53 {
            Objects.requireNonNull(hostedZoneId, "hostedZoneId");
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public String type() {
            return "route53";
        }
    }

    /**
     * Cloudflare DNS, through its records API with an API token.
     *
     * @param zoneId   the zone's id
     * @param zone     the zone's name
     * @param token    the API token (needs {@code Zone.DNS:Edit}); never logged or shown
     * @param endpoint the API's base address, or null for {@code https://api.cloudflare.com/client/v4}
     */
    record Cloudflare(String zoneId, String zone, String token, URI endpoint, boolean dryRun) implements DnsConfig {

        public Cloudflare {
            Objects.requireNonNull(zoneId, "zoneId");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String type() {
            return "cloudflare";
        }

        @Override
        public String toString() {
            return "Cloudflare[zoneId=" + zoneId + ", zone=" + zone + ", token=<redacted>, endpoint=" + endpoint
                   + ", dryRun=" + dryRun + "]";
        }
    }
}
