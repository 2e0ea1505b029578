package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.config.AlertsConfig;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.HealthCheckConfig;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.config.StorageConfig;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.ServerPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** Site origins are monitored like chain upstreams: an edge failing opens an attributed incident. */
@BothPaths
class SiteOriginIncidentTest {

    @Parameter
    private ServerPath path;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MonitoringConfig MONITORING = new MonitoringConfig(3, 3, 0.99, 14.4, Duration.ofSeconds(10),
            Duration.ofMinutes(1), 10, Duration.ofMillis(500), 2, Duration.ofDays(90), List.of());
    private static final OpsConfig OPS = new OpsConfig(MONITORING, AlertsConfig.DEFAULT, StorageConfig.IN_MEMORY,
            List.of(), null);

    @Test
    void anOriginBehindAFailingEdgeOpensAnIncidentAttributedToTheVendorAndResolves() throws Exception {
        try (FakeOrigin first = new FakeOrigin("first"); FakeOrigin second = new FakeOrigin("second")) {
            SiteConfig site = SiteConfig.of("app", "app.test", List.of(new OriginConfig("first", first.uri()),
                    new OriginConfig("second", second.uri())))
                    // Checks on a path the origin answers like any other (FakeOrigin answers /health itself).
                    .withHealthCheck(new HealthCheckConfig("/check", Duration.ofMillis(200), Duration.ofSeconds(2), 0));
            try (OutlastServer server = OutlastServer.start(new OutlastConfig(path.server(),
                    List.of(), List.of(site), CacheConfig.DEFAULT, OPS))) {
                WebClient client = WebClient.of("h1c://127.0.0.1:" + server.port());
                first.vendorPage("cloudflare-522.http", 522);

                for (int i = 0; i < 5; i++) {
                    AggregatedHttpResponse r = client.execute(RequestHeaders.builder(HttpMethod.GET, "/page")
                            .authority("app.test").build()).aggregate().join();
                    assertThat(r.status().code()).as("the user is served by the other origin").isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> !incidents(client, "open").isEmpty());
                JsonNode incident = incidents(client, "open").get(0);
                assertThat(incident.path("subject").path("id").asText()).isEqualTo("site/app/first");
                assertThat(incident.path("subject").path("kind").asText()).isEqualTo("site-origin");
                assertThat(incident.path("vendor").asText()).isEqualTo("cloudflare");

                first.serve("ok");
                await().atMost(Duration.ofSeconds(60)).until(() -> incidents(client, "open").isEmpty());
            }
        }
    }

    @Test
    void anOriginErrorPassedThroughTheEdgeIsAnIncidentOfTheOriginBehindItAndSaysSo() throws Exception {
        try (FakeOrigin first = new FakeOrigin("first"); FakeOrigin second = new FakeOrigin("second")) {
            SiteConfig site = SiteConfig.of("app", "app.test", List.of(
                            new OriginConfig("first", first.uri(), "cloudflare"), new OriginConfig("second", second.uri())))
                    .withHealthCheck(new HealthCheckConfig("/check", Duration.ofMillis(200), Duration.ofSeconds(2), 0));
            try (OutlastServer server = OutlastServer.start(new OutlastConfig(path.server(),
                    List.of(), List.of(site), CacheConfig.DEFAULT, OPS))) {
                WebClient client = WebClient.of("h1c://127.0.0.1:" + server.port());
                // Cloudflare passes the origin's own 500 through (cf-ray from FRA, no Cloudflare error page).
                first.vendorPage("cloudflare-origin-500.http", 500);
                await().atMost(Duration.ofSeconds(30)).until(() -> !incidents(client, "open").isEmpty());
                JsonNode incident = incidents(client, "open").get(0);
                assertThat(incident.path("subject").path("id").asText()).isEqualTo("site/app/first");
                assertThat(incident.path("subject").path("configuredVendor").asText()).isEqualTo("cloudflare");
                assertThat(incident.path("vendor").asText()).isEqualTo("cloudflare");
                assertThat(incident.path("generatedBy").asText()).isEqualTo("origin");
                assertThat(incident.path("where").asText()).isEqualTo("origin behind Cloudflare (via FRA)");

                String page = client.execute(RequestHeaders.builder(HttpMethod.GET, "/status").authority("127.0.0.1")
                        .build()).aggregate().join().contentUtf8();
                assertThat(page).contains("<strong class=\"vendor\">origin behind Cloudflare (via FRA)</strong>")
                        .contains("data-site=\"app\"").contains("class=\"origin failing\" data-origin=\"first\"");

                // Now Cloudflare's own 522 page: the edge itself.
                first.vendorPage("cloudflare-522.http", 522);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "vendor".equals(incidents(client, "open").get(0).path("generatedBy").asText()));
                assertThat(incidents(client, "open").get(0).path("timeline").findValuesAsText("message"))
                        .anySatisfy(m -> assertThat(m).startsWith("attributed to Cloudflare (edge)"));
            }
        }
    }

    private static List<JsonNode> incidents(WebClient client, String state) throws Exception {
        JsonNode body = JSON.readTree(client.get("/api/v1/incidents?state=" + state).aggregate().join().contentUtf8());
        List<JsonNode> out = new ArrayList<>();
        body.path("incidents").forEach(out::add);
        return out;
    }
}
