package dev.outlast.frontdoor.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.DnsConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The factory: one provider per {@code dns:} type, dry runs wrapped, and no secret in what is shown. */
class DnsProvidersTest {

    private static final String SECRET = "c2VjcmV0LWtleS1vZi1vdXRsYXN0";
    private static final String TOKEN = "cf-token-value-123";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    private final ClientFactory http = ClientFactory.builder().build();
    private final ExecutorService blocking = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        http.close();
        blocking.shutdownNow();
    }

    @Test
    void makesOneProviderPerTypeAndShowsNoSecret() {
        DnsConfig rfc2136 = new DnsConfig.Rfc2136(new InetSocketAddress("127.0.0.1", 5353), "example.com",
                new DnsConfig.Tsig("outlast", "hmac-sha256", SECRET), false);
        DnsConfig route53 = new DnsConfig.Route53("Z0123456789ABCDEFGHIJ", "example.com", null, false);
        DnsConfig cloudflare = new DnsConfig.Cloudflare("023e105f4ecef8ad9ca31a8372d0c353", "example.com", TOKEN,
                null, false);

        try (DnsProvider a = DnsProviders.create(rfc2136, http, blocking, CLOCK);
             DnsProvider b = DnsProviders.create(route53, http, blocking, CLOCK);
             DnsProvider c = DnsProviders.create(cloudflare, http, blocking, CLOCK)) {
            assertThat(a).isInstanceOf(Rfc2136Provider.class);
            assertThat(b).isInstanceOf(Route53Provider.class);
            assertThat(c).isInstanceOf(CloudflareProvider.class);
            assertThat(List.of(a.describe(), b.describe(), c.describe())).containsExactly(
                    "rfc2136 127.0.0.1:5353 (zone example.com, key outlast)",
                    "route53 hosted zone Z0123456789ABCDEFGHIJ (example.com)",
                    "cloudflare zone 023e105f4ecef8ad9ca31a8372d0c353 (example.com)");
            for (Object shown : List.of(a, b, c, a.describe(), rfc2136, cloudflare)) {
                assertThat(shown.toString()).doesNotContain(SECRET, TOKEN);
            }
            assertThat(List.of(a.zone(), b.zone(), c.zone())).containsOnly("example.com");
        }
    }

    @Test
    void aDryRunWritesNothingRemembersWhatItWouldWriteAndReadsTheRealRecord() throws Exception {
        BuiltInZone real = new BuiltInZone("example.com");
        RecordSet current = new RecordSet("www.example.com", RecordSet.Type.CNAME, List.of("www-cf.cdn.example.net"),
                                          Duration.ofSeconds(30));
        real.write(current).join();
        DryRunProvider dryRun = new DryRunProvider(real, CLOCK);
        RecordSet moved = new RecordSet("www.example.com", RecordSet.Type.CNAME, List.of("www-aws.cdn.example.net"),
                                        Duration.ofSeconds(30));

        dryRun.write(moved).get();

        assertThat(real.lookup("www.example.com")).contains(current);
        assertThat(dryRun.read("www.example.com").get()).contains(current);
        assertThat(dryRun.wouldWrite()).contains(new DryRunProvider.WouldWrite(moved, CLOCK.instant()));
        assertThat(dryRun.describe()).isEqualTo("built-in (zone example.com) (dry run)");
        assertThat(DryRunProvider.isDryRun(dryRun)).isTrue();
        assertThat(DryRunProvider.isDryRun(real)).isFalse();
    }

    @Test
    void dryRunEntriesAreWrapped() {
        DnsConfig config = new DnsConfig.Cloudflare("023e105f4ecef8ad9ca31a8372d0c353", "example.com", TOKEN, null,
                                                    true);
        try (DnsProvider provider = DnsProviders.create(config, http, blocking, CLOCK)) {
            assertThat(provider).isInstanceOf(DryRunProvider.class);
            assertThat(provider.describe()).endsWith("(dry run)").doesNotContain(TOKEN);
            assertThat(((DryRunProvider) provider).wouldWrite()).isEqualTo(Optional.empty());
        }
    }

    @Test
    void theBuiltInZoneRefusesNamesOutsideItAndKeepsCanonicalValues() {
        BuiltInZone zone = new BuiltInZone("Example.com.");

        Throwable outside = zone.write(new RecordSet("www.example.org", RecordSet.Type.A, List.of("192.0.2.1"),
                Duration.ofSeconds(30))).handle((v, e) -> e).join();
        zone.write(new RecordSet("V6.example.com", RecordSet.Type.AAAA, List.of("2001:DB8:0:0:0:0:0:1"),
                Duration.ofSeconds(30))).join();

        assertThat(outside).isInstanceOf(DnsProviderException.class)
                .hasMessage("update refused: NOTZONE (www.example.org is not in example.com)");
        assertThat(zone.lookup("v6.example.com.")).contains(new RecordSet("v6.example.com", RecordSet.Type.AAAA,
                List.of("2001:db8::1"), Duration.ofSeconds(30)));
    }
}
