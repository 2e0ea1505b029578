package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.HealthCheckConfig;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.health.HealthState;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.site.Origin;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Maintenance windows drain chain upstreams and site origins: by subject id, and by the vendor
 * configured in front of them ({@code vendor:}) shortly before the window starts; users are served by
 * what is left, and the configured vendor shows in the API and on the status page.
 */
@BothPaths
class MaintenanceDrainTest {

    @Parameter
    private ServerPath path;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aVendorWindowDrainsEverythingConfiguredBehindThatVendorAndASubjectWindowDrainsAnOrigin() throws Exception {
        LocalDateTime now = LocalDateTime.now(BERLIN);
        // Starts in a minute: inside its 2-minute drain lead already.
        MaintenanceWindow cloudflare = new MaintenanceWindow("cloudflare-fra", null, "cloudflare", now.plusMinutes(1),
                now.plusHours(1), Set.of(), null, null, BERLIN, MaintenanceWindow.DEFAULT_DRAIN_BEFORE);
        MaintenanceWindow third = new MaintenanceWindow("third-db", "site/app/third", null, now.minusMinutes(5),
                now.plusHours(1), Set.of(), null, null, BERLIN, MaintenanceWindow.DEFAULT_DRAIN_BEFORE);
        OpsConfig ops = OpsConfig.IN_MEMORY.withMaintenance(List.of(cloudflare, third));
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             FakeOrigin first = new FakeOrigin("first"); FakeOrigin second = new FakeOrigin("second");
             FakeOrigin thirdOrigin = new FakeOrigin("third")) {
            ChainConfig base = TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri()));
            ChainConfig chain = new ChainConfig(base.id(), base.chainId(), List.of(
                    new UpstreamConfig("alpha", alpha.uri()).withVendor("cloudflare"),
                    new UpstreamConfig("beta", beta.uri())), base.requestTimeout(), base.headPollInterval(),
                    base.chainIdCheckInterval(), base.maxLagBlocks(), base.consensus(), base.hedging(),
                    base.deniedMethods(), base.verify(), base.logs());
            SiteConfig site = SiteConfig.of("app", "app.test", List.of(
                            new OriginConfig("first", first.uri(), "cloudflare"),
                            new OriginConfig("second", second.uri()),
                            new OriginConfig("third", thirdOrigin.uri())))
                    .withHealthCheck(new HealthCheckConfig("/health", Duration.ofMillis(200), Duration.ofSeconds(2), 0));
            try (OutlastServer server = OutlastServer.start(new OutlastConfig(path.server(),
                    List.of(chain), List.of(site), CacheConfig.OFF, ops))) {
                ChainUpstream alphaUpstream = server.chains().get("devnet").upstreams().stream()
                        .filter(u -> u.name().equals("alpha")).findFirst().orElseThrow();
                List<Origin> origins = server.sites().get("app").origins();
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(alphaUpstream.health().state()).isEqualTo(HealthState.DRAINED);
                    assertThat(origins).extracting(o -> o.health().state())
                            .containsExactly(HealthState.DRAINED, HealthState.HEALTHY, HealthState.DRAINED);
                });
                assertThat(alphaUpstream.health().snapshot().reason())
                        .isEqualTo("drained: maintenance window cloudflare-fra");
                assertThat(origins.get(2).health().snapshot().reason()).isEqualTo("drained: maintenance window third-db");

                WebClient client = WebClient.of("h1c://127.0.0.1:" + server.port());
                for (int i = 0; i < 6; i++) {
                    AggregatedHttpResponse r = client.execute(RequestHeaders.builder(HttpMethod.GET, "/page")
                            .authority("app.test").build()).aggregate().join();
                    assertThat(r.status().code()).isEqualTo(200);
                    assertThat(r.contentUtf8()).startsWith("second ");
                }
                assertThat(first.received()).isEmpty();
                assertThat(thirdOrigin.received()).isEmpty();

                JsonNode monitors = JSON.readTree(client.get("/api/v1/monitors").aggregate().join().contentUtf8());
                assertThat(configuredVendor(monitors, "devnet/alpha")).isEqualTo("cloudflare");
                assertThat(configuredVendor(monitors, "site/app/first")).isEqualTo("cloudflare");
                assertThat(monitorOf(monitors, "devnet/beta").path("subject").path("configuredVendor").isNull()).isTrue();

                String page = client.get("/status").aggregate().join().contentUtf8();
                assertThat(page).contains("every subject behind cloudflare (site/app/first, devnet/alpha)").contains("third-db")
                        .contains("<span class=\"reason vendor\">via Cloudflare</span>");
            }
        }
    }

    private static String configuredVendor(JsonNode monitors, String id) {
        return monitorOf(monitors, id).path("subject").path("configuredVendor").asText();
    }

    private static JsonNode monitorOf(JsonNode monitors, String id) {
        for (JsonNode m : monitors.path("monitors")) {
            if (m.path("subject").path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no monitor " + id + " in " + monitors);
    }
}
