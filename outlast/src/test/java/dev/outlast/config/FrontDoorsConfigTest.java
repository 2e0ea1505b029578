package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code frontDoors:} section: every key, the defaults, and bad values reported with their YAML path. */
class FrontDoorsConfigTest {

    private static final String TWO_TARGETS = """
                targets:
                  - name: cloudflare
                    vendor: cloudflare
                    cname: www.example.com.cdn.cloudflare.net
                    probe: {url: https://www.example.com/health, connectTo: www.example.com.cdn.cloudflare.net}
                  - name: cloudfront
                    vendor: cloudfront
                    cname: d111111abcdef8.cloudfront.net.
                    probe: {url: https://www.example.com/health, connectTo: "d111111abcdef8.cloudfront.net:8443"}
            """;

    @Test
    void aFileWithOnlyFrontDoorsLoadsWithDefaults() {
        OutlastConfig config = ConfigLoader.parse("""
                frontDoors:
                  - name: www
                    hostname: WWW.example.com
                    serve: {listen: 127.0.0.1:5353}
                """ + TWO_TARGETS, Map.of(), "c.yaml");

        assertThat(config.chains()).isEmpty();
        assertThat(config.sites()).isEmpty();
        FrontDoorConfig door = config.frontDoors().get(0);
        assertThat(door.name()).isEqualTo("www");
        assertThat(door.hostname()).isEqualTo("www.example.com");
        assertThat(door.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(door.failback()).isEqualTo(FrontDoorConfig.Failback.AUTO);
        assertThat(door.steering()).isEqualTo(FrontDoorConfig.Steering.DEFAULT);
        assertThat(door.serve()).isEqualTo(new FrontDoorConfig.Serve("127.0.0.1", 5353));
        assertThat(door.dns()).isEmpty();
        assertThat(door.targets()).containsExactly(
                FrontDoorConfig.Target.cname("cloudflare", "cloudflare", "www.example.com.cdn.cloudflare.net",
                        new FrontDoorConfig.Probe(URI.create("https://www.example.com/health"),
                                "www.example.com.cdn.cloudflare.net", 0, null, null)),
                FrontDoorConfig.Target.cname("cloudfront", "cloudfront", "d111111abcdef8.cloudfront.net",
                        new FrontDoorConfig.Probe(URI.create("https://www.example.com/health"),
                                "d111111abcdef8.cloudfront.net", 8443, null, null)));
        assertThat(door.preferred().name()).isEqualTo("cloudflare");
    }

    @Test
    void aFrontDoorWithThreeProvidersLoads() {
        OutlastConfig config = ConfigLoader.parse("""
                frontDoors:
                  - name: www
                    hostname: www.example.com
                    ttl: 30s
                    failback: auto
                """ + TWO_TARGETS + """
                    dns:
                      - {type: rfc2136, server: "ns1.example.net:53", zone: example.com,
                         tsig: {name: outlast, algorithm: hmac-sha256, secret: "${TSIG_SECRET}"}}
                      - {type: route53, hostedZoneId: Z0123456789ABCDEFGHIJ, zone: example.com}
                      - {type: cloudflare, zoneId: 023e105f4ecef8ad9ca31a8372d0c353, zone: example.com,
                         token: "${CF_DNS_TOKEN}", dryRun: true}
                """, Map.of("TSIG_SECRET", "c2VjcmV0LWtleQ==", "CF_DNS_TOKEN", "token"), "c.yaml");

        FrontDoorConfig door = config.frontDoors().get(0);
        assertThat(door.dns()).extracting(DnsConfig::type).containsExactly("rfc2136", "route53", "cloudflare");
        assertThat(door.dns()).extracting(DnsConfig::dryRun).containsExactly(false, false, true);
        assertThat(((DnsConfig.Rfc2136) door.dns().get(0)).tsig().secret()).isEqualTo("c2VjcmV0LWtleQ==");
        assertThat(door.serve()).isNull();
    }

    @Test
    void theHostnameMustBeInEveryProvidersZoneAndBadEntriesNameTheirPath() {
        assertThat(problems("""
                frontDoors:
                  - name: www
                    hostname: example.com
                """ + TWO_TARGETS + """
                    dns:
                      - {type: rfc2136, server: "127.0.0.1:53", zone: example.org}
                      - {type: rfc2136, server: "127.0.0.1:53", zone: example.com}
                      - {type: bind, zone: example.com}
                      - {type: rfc2136, server: "127.0.0.1:53", zone: example.com, tsig: {name: outlast}}
                """)).containsExactly(
                "frontDoors[0].dns[2].type: \"bind\" (expected: rfc2136, route53 or cloudflare)",
                "frontDoors[0].dns[3].tsig.secret: missing (expected: the key's secret, base64)",
                "frontDoors[0].dns[0]: hostname example.com is outside this provider's zone example.org",
                "frontDoors[0].dns[1]: hostname example.com is the apex of zone example.com, where target cloudflare "
                + "cannot be a CNAME (use a or aaaa)",
                "frontDoors[0].dns[1]: hostname example.com is the apex of zone example.com, where target cloudfront "
                + "cannot be a CNAME (use a or aaaa)");
    }

    @Test
    void everySteeringKeyAndAddressTargetsAreBound() {
        OutlastConfig config = ConfigLoader.parse("""
                frontDoors:
                  - name: api
                    hostname: api.example.com
                    ttl: 5s
                    failback: manual
                    failAfter: 2
                    failbackAfter: 30s
                    minChangeInterval: 10s
                    probeInterval: 1s
                    probeTimeout: 500ms
                    serve: {listen: "[::1]:0"}
                    targets:
                      - name: edge-a
                        a: [192.0.2.10, 192.0.2.11]
                        probe: {url: http://api.example.com/, interval: 3s, timeout: 1s}
                      - name: edge-b
                        aaaa: ["2001:db8::10"]
                        probe: {url: http://api.example.com/, connectTo: "[2001:db8::10]:8080"}
                """, Map.of(), "c.yaml");

        FrontDoorConfig door = config.frontDoors().get(0);
        assertThat(door.ttl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(door.failback()).isEqualTo(FrontDoorConfig.Failback.MANUAL);
        assertThat(door.steering()).isEqualTo(new FrontDoorConfig.Steering(2, Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(500)));
        assertThat(door.serve()).isEqualTo(new FrontDoorConfig.Serve("::1", 0));
        FrontDoorConfig.Target a = door.targets().get(0);
        assertThat(a.a()).containsExactly("192.0.2.10", "192.0.2.11");
        assertThat(a.defaultConnectHost()).isEqualTo("192.0.2.10");
        assertThat(a.probe().interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.probe().timeout()).isEqualTo(Duration.ofSeconds(1));
        FrontDoorConfig.Target b = door.targets().get(1);
        assertThat(b.aaaa()).containsExactly("2001:db8:0:0:0:0:0:10");
        assertThat(b.probe().connectHost()).isEqualTo("2001:db8::10");
        assertThat(b.probe().connectPort()).isEqualTo(8080);
    }

    @Test
    void badFrontDoorsAreReportedWithTheirPaths() {
        assertThat(problems("""
                frontDoors:
                  - name: WWW
                    hostname: https://www.example.com
                    ttl: 500ms
                    failback: sometimes
                    failAfter: 0
                    serve: {listen: 53}
                    dnss: []
                    targets:
                      - name: cloudflare
                        probe: {url: https://www.example.com/health}
                      - name: cloudflare
                        cname: a.example.net
                        a: [192.0.2.1]
                        probe: {url: ftp://x, connectTo: "edge:99999"}
                      - name: aws
                        a: [2001:db8::1]
                        aaaa: [192.0.2.1]
                        probe: {url: https://www.example.com/, connectTo: "bad host!"}
                      - name: gcp
                        cname: x.example.net
                        probe: {url: https://www.example.com/, timeout: 0s, size: 1}
                """)).containsExactly(
                "frontDoors[0].name: \"WWW\" (expected: a front door name matching [a-z0-9][a-z0-9-]{0,62})",
                "frontDoors[0].hostname: \"https://www.example.com\" (expected: a host name such as www.example.com)",
                "frontDoors[0].ttl: \"500ms\" (expected: whole seconds, at least 1s)",
                "frontDoors[0].failback: \"sometimes\" (expected: auto or manual)",
                "frontDoors[0].failAfter: 0 (expected: a number of probes, at least 1)",
                "frontDoors[0].serve.listen: 53 (expected: host:port)",
                "frontDoors[0].dnss: unknown key (expected one of: name, hostname, ttl, failback, targets, dns, serve, "
                + "failAfter, failbackAfter, minChangeInterval, probeInterval, probeTimeout)",
                "frontDoors[0].targets[0]: needs one of cname, a and aaaa (what the record says when this target is "
                + "active)",
                "frontDoors[0].targets[1].name: \"cloudflare\" (expected: unique within the front door, already used "
                + "by frontDoors[0].targets[0])",
                "frontDoors[0].targets[1].probe.url: \"ftp://x\" (expected: http or https URL)",
                "frontDoors[0].targets[1].probe.connectTo: \"edge:99999\" (expected: host or host:port of the CDN's "
                + "edge)",
                "frontDoors[0].targets[1]: needs exactly one of cname, a and aaaa (one record type per target)",
                "frontDoors[0].targets[2].a[0]: \"2001:db8::1\" (expected: an IPv4 address such as 192.0.2.10)",
                "frontDoors[0].targets[2].aaaa[0]: \"192.0.2.1\" (expected: an IPv6 address such as 2001:db8::10)",
                "frontDoors[0].targets[2].probe.connectTo: \"bad host!\" (expected: host or host:port of the CDN's "
                + "edge)",
                "frontDoors[0].targets[2]: needs exactly one of cname, a and aaaa (one record type per target)",
                "frontDoors[0].targets[3].probe.timeout: \"0s\" (expected: > 0)",
                "frontDoors[0].targets[3].probe.size: unknown key (expected one of: url, connectTo, interval, timeout)");
    }

    @Test
    void aFrontDoorNeedsAPlaceToWriteAndUniqueNames() {
        assertThat(problems("""
                frontDoors:
                  - name: www
                    hostname: www.example.com
                    targets:
                      - name: a
                        cname: a.example.net
                        probe: {url: https://www.example.com/}
                  - name: www
                    hostname: www.example.com
                    serve: {listen: 127.0.0.1:53}
                    targets: []
                """)).containsExactly(
                "frontDoors[0].dns: missing (expected: a list of DNS providers, unless serve is configured)",
                "frontDoors[1].name: \"www\" (expected: unique, already used by frontDoors[0])",
                "frontDoors[1].hostname: \"www.example.com\" (expected: unique, already used by frontDoors[0])",
                "frontDoors[1].targets: [] (expected: at least one target)");
        assertThat(problems("frontDoors: []")).containsExactly("frontDoors: [] (expected: at least one front door)");
    }

    @Test
    void aSingleTargetIsAWarning() {
        ConfigLoader.Result result = ConfigLoader.parseWithWarnings("""
                frontDoors:
                  - name: www
                    hostname: www.example.com
                    serve: {listen: 127.0.0.1:53}
                    targets:
                      - name: only
                        cname: a.example.net
                        probe: {url: https://www.example.com/}
                """, Map.of(), "c.yaml");
        assertThat(result.warnings()).extracting(ConfigProblem::toString)
                .containsExactly("frontDoors[0].targets: only one target (the record has nowhere to move)");
    }

    @Test
    void recordsRefuseWhatTheBinderWouldHaveReported() {
        FrontDoorConfig.Probe probe = new FrontDoorConfig.Probe(URI.create("https://www.example.com/"), null, 0, null,
                null);
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new FrontDoorConfig("www",
                "www.example.com", Duration.ofMillis(500), FrontDoorConfig.Failback.AUTO,
                List.of(FrontDoorConfig.Target.cname("a", null, "a.example.net", probe)), List.of(),
                new FrontDoorConfig.Serve("127.0.0.1", 0), FrontDoorConfig.Steering.DEFAULT)))
                .hasMessage("ttl: PT0.5S (expected: whole seconds, at least 1s)");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new FrontDoorConfig.Target("a", null,
                null, List.of(), List.of(), probe))).hasMessage("target a: exactly one of cname, a and aaaa");
        assertThat(FrontDoorConfig.inZone("www.example.com", "Example.com.")).isTrue();
        assertThat(FrontDoorConfig.inZone("www.example.com", "ample.com")).isFalse();
    }

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, Map.of(), "c.yaml"));
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }
}
