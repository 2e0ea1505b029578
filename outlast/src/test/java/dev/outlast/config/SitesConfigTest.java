package dev.outlast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code sites:} section: the issue's example, every key, and bad values reported with their YAML path. */
class SitesConfigTest {

    @Test
    void issueExampleLoadsWithDefaultsAndNoChains() {
        OutlastConfig config = ConfigLoader.parse("""
                sites:
                  - id: app
                    host: app.example.com        # matched on the Host header, same listener as /rpc
                    origins:
                      - name: via-cloudflare
                        url: https://app-cf.example.com
                      - name: via-cloudfront
                        url: https://app-aws.example.com
                """, Map.of(), "c.yaml");

        assertThat(config.chains()).isEmpty();
        assertThat(config.sites()).containsExactly(SiteConfig.of("app", "app.example.com", List.of(
                new OriginConfig("via-cloudflare", URI.create("https://app-cf.example.com")),
                new OriginConfig("via-cloudfront", URI.create("https://app-aws.example.com")))));
        SiteConfig site = config.sites().get(0);
        assertThat(site.healthCheck()).isEqualTo(HealthCheckConfig.DEFAULT);
        assertThat(site.staleIfError()).isEqualTo(Duration.ofMinutes(5));
        assertThat(site.retryBufferBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void everySiteKeyIsBoundAlongsideChains() {
        OutlastConfig config = ConfigLoader.parse("""
                chains:
                  - id: devnet
                    chainId: 1337
                    upstreams:
                      - name: a
                        url: http://127.0.0.1:8545
                      - name: b
                        url: http://127.0.0.1:8546
                sites:
                  - id: api
                    host: API.Example.com
                    responseTimeout: 5s
                    staleIfError: 1h
                    staleWhileRevalidate: 30s
                    retryBufferBytes: 65536
                    cacheBytes: 0
                    healthCheck:
                      path: /healthz?deep=1
                      interval: 2s
                      timeout: 500ms
                      expectedStatus: 204
                    origins:
                      - name: primary
                        url: https://api-cf.example.com/v1
                      - name: backup
                        url: http://10.0.0.7:8080
                """, Map.of(), "c.yaml");

        assertThat(config.chains()).hasSize(1);
        assertThat(config.sites()).containsExactly(new SiteConfig("api", "api.example.com", List.of(
                new OriginConfig("primary", URI.create("https://api-cf.example.com/v1")),
                new OriginConfig("backup", URI.create("http://10.0.0.7:8080"))),
                new HealthCheckConfig("/healthz?deep=1", Duration.ofSeconds(2), Duration.ofMillis(500), 204),
                Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30), 65536, 0));
    }

    @Test
    void badSitesAreReportedWithTheirPaths() {
        assertThat(problems("""
                sites:
                  - id: App
                    host: https://app.example.com
                    staleIfError: soon
                    healthCheck:
                      path: health
                      expectedStatus: 700
                      intervall: 1s
                    origins:
                      - name: a
                        url: ftp://x.example
                      - name: a
                        url: https://y.example/?key=1
                  - id: b
                    host: b.example.com
                    origins: []
                  - id: c
                    host: B.example.com
                """)).containsExactly(
                "sites[0].id: \"App\" (expected: a site id matching [a-z0-9][a-z0-9-]{0,62})",
                "sites[0].host: \"https://app.example.com\" (expected: a host name such as app.example.com, "
                + "without scheme or port)",
                "sites[0].staleIfError: \"soon\" (expected: a duration such as 500ms or 10s)",
                "sites[0].healthCheck.path: \"health\" (expected: a path starting with /)",
                "sites[0].healthCheck.expectedStatus: 700 (expected: at most 599)",
                "sites[0].healthCheck.intervall: unknown key (expected one of: path, interval, timeout, "
                + "expectedStatus)",
                "sites[0].origins[0].url: \"ftp://x.example\" (expected: http or https URL)",
                "sites[0].origins[1].name: \"a\" (expected: unique within the site, already used by "
                + "sites[0].origins[0])",
                "sites[0].origins[1].url: \"https://y.example/?key=1\" (expected: http or https URL without "
                + "query or fragment)",
                "sites[1].origins: [] (expected: at least one origin)",
                "sites[2].host: \"B.example.com\" (expected: unique, already used by sites[1])",
                "sites[2].origins: missing (expected: a list of origins)");
    }

    @Test
    void aFileNeedsChainsOrSites() {
        assertThat(problems("server:\n  listen: 127.0.0.1:8080\n"))
                .containsExactly("chains: missing (expected: a list of chains, unless sites or frontDoors are configured)");
        assertThat(problems("sites: []")).containsExactly("sites: [] (expected: at least one site)");
    }

    @Test
    void aSingleOriginIsAWarning() {
        ConfigLoader.Result result = ConfigLoader.parseWithWarnings("""
                sites:
                  - id: app
                    host: app.example.com
                    origins:
                      - name: only
                        url: https://app.example.net
                """, Map.of(), "c.yaml");
        assertThat(result.warnings()).extracting(ConfigProblem::toString).containsExactly(
                "sites[0].origins: only one origin (failover has nowhere to go; only stale copies can cover an "
                + "outage)");
    }

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, Map.of(), "c.yaml"));
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }
}
