package dev.outlast.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.ConfigProblem;
import dev.outlast.config.DnsConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One {@code frontDoors[].dns} entry: each type's keys, and bad input reported with its YAML path. */
class DnsBinderTest {

    private static final Map<String, String> ENV = Map.of("TSIG_SECRET", "c2VjcmV0LWtleS1vZi1vdXRsYXN0",
                                                          "CF_DNS_TOKEN", "cf-token-value-123");

    @Test
    void bindsTheIssuesExample() {
        List<DnsConfig> bound = bindAll("""
                - type: rfc2136
                  server: ns1.example.net:53
                  zone: example.com
                  tsig: {name: outlast, algorithm: hmac-sha256, secret: "${TSIG_SECRET}"}
                - type: route53
                  hostedZoneId: Z0123456789ABCDEFGHIJ
                  zone: example.com
                - type: cloudflare
                  zoneId: 023e105f4ecef8ad9ca31a8372d0c353
                  zone: Example.COM.
                  token: ${CF_DNS_TOKEN}
                  dryRun: true
                """);

        assertThat(bound).containsExactly(
                new DnsConfig.Rfc2136(InetSocketAddress.createUnresolved("ns1.example.net", 53), "example.com",
                        new DnsConfig.Tsig("outlast", "hmac-sha256", "c2VjcmV0LWtleS1vZi1vdXRsYXN0"), false),
                new DnsConfig.Route53("Z0123456789ABCDEFGHIJ", "example.com", null, false),
                new DnsConfig.Cloudflare("023e105f4ecef8ad9ca31a8372d0c353", "example.com", "cf-token-value-123", null,
                        true));
        assertThat(bound.get(0).toString()).doesNotContain("c2VjcmV0");
        assertThat(bound.get(2).toString()).doesNotContain("cf-token-value-123");
    }

    @Test
    void anUnquotedInterpolationInsideBracesIsAYamlError() {
        Problems problems = new Problems();
        YamlReader.document("tsig: {name: outlast, secret: ${TSIG_SECRET}}", ENV, problems);
        assertThat(problems.errors()).hasSize(1);
    }

    @Test
    void serversTakeLiteralsNamesAndPort53ByDefault() {
        List<DnsConfig> bound = bindAll("""
                - {type: rfc2136, server: 127.0.0.1:5353, zone: example.test}
                - {type: rfc2136, server: "[::1]:5353", zone: example.test, tsig: {name: k, secret: c2VjcmV0}}
                - {type: rfc2136, server: ns1.example.net, zone: example.test}
                - {type: rfc2136, server: "2001:db8::53", zone: example.test}
                """);

        assertThat(bound).extracting(c -> ((DnsConfig.Rfc2136) c).server()).extracting(
                a -> a.getHostString() + " " + a.getPort() + " " + (a.isUnresolved() ? "by name" : "literal"))
                .containsExactly("127.0.0.1 5353 literal", "::1 5353 literal", "ns1.example.net 53 by name",
                                 "2001:db8::53 53 literal");
        assertThat(((DnsConfig.Rfc2136) bound.get(1)).tsig().algorithm()).isEqualTo("hmac-sha256");
    }

    @Test
    void endpointsAndHostedZonePathsAreAccepted() {
        List<DnsConfig> bound = bindAll("""
                - {type: route53, hostedZoneId: /hostedzone/Z123, zone: example.com, endpoint: "http://127.0.0.1:9000"}
                - {type: cloudflare, zoneId: 023e105f4ecef8ad9ca31a8372d0c353, zone: example.com, token: t,
                   endpoint: "https://cf.example.internal/client/v4"}
                """);

        assertThat(bound).containsExactly(
                new DnsConfig.Route53("Z123", "example.com", URI.create("http://127.0.0.1:9000"), false),
                new DnsConfig.Cloudflare("023e105f4ecef8ad9ca31a8372d0c353", "example.com", "t",
                        URI.create("https://cf.example.internal/client/v4"), false));
    }

    @Test
    void badEntriesAreReportedWithTheirPathsAndNoSecret() {
        assertThat(problems("""
                - type: bind
                  server: ns1.example.net
                - server: ns1.example.net
                - type: rfc2136
                  server: ns1.example.net:99999
                  zone: "example com"
                  tsig: {name: outlast, algorithm: hmac-sha999}
                - type: rfc2136
                  server: ns1.example.net
                  zone: example.com
                  hostedZoneId: Z1
                  tsig: {name: outlast, secret: "not base64 at all!"}
                - type: route53
                  hostedZoneId: z-lower
                  endpoint: ftp://x
                - type: cloudflare
                  zoneId: example.com
                  zone: example.com
                  token: ""
                  dryRun: maybe
                - type: cloudflare
                  zoneId: 023e105f4ecef8ad9ca31a8372d0c353
                  zone: example.com
                  token: ${MISSING_TOKEN}
                - type: rfc2136
                  server: 10.0.0.53
                  zone: example.com
                  tsig: {name: outlast, secret: 987654}
                - just a string
                """)).containsExactly(
                "frontDoors[0].dns[0].type: \"bind\" (expected: rfc2136, route53 or cloudflare)",
                "frontDoors[0].dns[1].type: missing (expected: rfc2136, route53 or cloudflare)",
                "frontDoors[0].dns[2].server: \"ns1.example.net:99999\" (expected: host:port with a port in 0..65535)",
                "frontDoors[0].dns[2].zone: \"example com\" (expected: a zone name such as example.com)",
                "frontDoors[0].dns[2].tsig.algorithm: \"hmac-sha999\" (expected: hmac-sha256, hmac-sha512, "
                + "hmac-sha384, hmac-sha224, hmac-sha1 or hmac-md5)",
                "frontDoors[0].dns[2].tsig.secret: missing (expected: the key's secret, base64)",
                "frontDoors[0].dns[3].hostedZoneId: unknown key (expected one of: type, server, zone, tsig, dryRun)",
                "frontDoors[0].dns[3].tsig.secret: not base64 (expected: the key's secret, base64)",
                "frontDoors[0].dns[4].hostedZoneId: \"z-lower\" (expected: a hosted zone id such as "
                + "Z0123456789ABCDEFGHIJ)",
                "frontDoors[0].dns[4].endpoint: \"ftp://x\" (expected: http or https URL)",
                "frontDoors[0].dns[4].zone: missing (expected: a zone name such as example.com)",
                "frontDoors[0].dns[5].zoneId: \"example.com\" (expected: a Cloudflare zone id, 32 hex digits)",
                "frontDoors[0].dns[5].token: empty (expected: an API token with DNS edit permission, such as "
                + "${CF_DNS_TOKEN})",
                "frontDoors[0].dns[5].dryRun: \"maybe\" (expected: true or false)",
                "frontDoors[0].dns[6].token: environment variable MISSING_TOKEN is not set",
                "frontDoors[0].dns[7].tsig.secret: not a string (expected: the key's secret, base64)",
                "frontDoors[0].dns[8]: \"just a string\" (expected: a DNS provider, a mapping with type and zone)");
    }

    private static List<DnsConfig> bindAll(String yaml) {
        Problems problems = new Problems();
        List<DnsConfig> out = bind(yaml, problems);
        assertThat(problems.errors()).isEmpty();
        return out;
    }

    private static List<String> problems(String yaml) {
        Problems problems = new Problems();
        bind(yaml, problems);
        List<String> out = problems.errors().stream().map(ConfigProblem::toString).toList();
        assertThat(String.join("\n", out)).doesNotContain("not base64 at all", "987654");
        return out;
    }

    private static List<DnsConfig> bind(String yaml, Problems problems) {
        Node list = YamlReader.document("frontDoors:\n  - dns:\n" + yaml.indent(6), ENV, problems).orElseThrow();
        Node dns = list.child("frontDoors", list.json().get("frontDoors")).list("a list").orElseThrow().get(0);
        dns = dns.child("dns", dns.json().get("dns"));
        return dns.list("a list").orElseThrow().stream().map(DnsBinder::bind).flatMap(Optional::stream).toList();
    }
}
