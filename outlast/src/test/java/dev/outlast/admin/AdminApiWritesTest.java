package dev.outlast.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.health.HealthState;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** The admin writes (drain, restore, acknowledge) behind the bearer token, and maintenance windows, through the real server. */
@BothPaths
class AdminApiWritesTest {

    @Parameter
    private ServerPath path;

    private static final String TOKEN = "test-token-0123456789";

    private static AggregatedHttpResponse send(TestGateway gateway, HttpMethod method, String path, String authorization) {
        com.linecorp.armeria.common.RequestHeadersBuilder headers = RequestHeaders.builder(method, path);
        if (authorization != null) {
            headers.add("authorization", authorization);
        }
        return WebClient.of("http://127.0.0.1:" + gateway.server().port()).execute(HttpRequest.of(headers.build()))
                .aggregate().join();
    }

    private TestGateway start(FakeUpstream alpha, FakeUpstream beta, OpsConfig ops) {
        return start(alpha, beta, ops, 2);
    }

    private TestGateway start(FakeUpstream alpha, FakeUpstream beta, OpsConfig ops, int usable) {
        // Without the cache, so repeated reads show where traffic goes.
        return TestGateway.start(new OutlastConfig(path.server(),
                List.of(TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri()))),
                dev.outlast.config.CacheConfig.OFF, ops), usable);
    }

    @Test
    void drainAndRestoreNeedTheBearerToken() {
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             TestGateway gateway = start(alpha, beta, OpsConfig.IN_MEMORY.withAdminToken(TOKEN))) {
            String drain = "/api/v1/upstreams/devnet/alpha/drain";

            AggregatedHttpResponse none = send(gateway, HttpMethod.POST, drain, null);
            assertThat(none.status().code()).isEqualTo(401);
            assertThat(none.headers().get("www-authenticate")).isEqualTo("Bearer");
            assertThat(TestGateway.json(none).path("error").path("code").asText()).isEqualTo("unauthorized");

            AggregatedHttpResponse wrong = send(gateway, HttpMethod.POST, drain, "Bearer nope");
            assertThat(wrong.status().code()).isEqualTo(403);
            assertThat(TestGateway.json(wrong).path("error").path("message").asText())
                    .isEqualTo("the bearer token is not the admin token");

            assertThat(send(gateway, HttpMethod.GET, drain, "Bearer " + TOKEN).status().code()).isEqualTo(405);
            assertThat(send(gateway, HttpMethod.POST, "/api/v1/upstreams/devnet/nope/drain", "Bearer " + TOKEN)
                    .status().code()).isEqualTo(404);

            AggregatedHttpResponse ok = send(gateway, HttpMethod.POST, drain, "Bearer " + TOKEN);
            assertThat(ok.status().code()).isEqualTo(200);
            assertThat(TestGateway.json(ok).path("state").asText()).isEqualTo("drained");
            ChainUpstream a = gateway.chain().upstreams().stream().filter(u -> u.name().equals("alpha")).findFirst()
                    .orElseThrow();
            assertThat(a.health().isUsable()).isFalse();
            int before = alpha.calls("net_version");
            for (int i = 0; i < 5; i++) {
                assertThat(gateway.call("net_version", "[]").path("result").asText()).isEqualTo("1337");
            }
            assertThat(alpha.calls("net_version")).isEqualTo(before);
            assertThat(beta.calls("net_version")).isEqualTo(5);

            AggregatedHttpResponse restored = send(gateway, HttpMethod.POST, "/api/v1/upstreams/devnet/alpha/restore",
                    "Bearer " + TOKEN);
            assertThat(TestGateway.json(restored).path("drained").asBoolean()).isFalse();
            assertThat(a.health().state()).isNotEqualTo(HealthState.DRAINED);
        }
    }

    @Test
    void writesAreRefusedWhenNoTokenIsConfigured() {
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             TestGateway gateway = start(alpha, beta, OpsConfig.IN_MEMORY)) {
            AggregatedHttpResponse r = send(gateway, HttpMethod.POST, "/api/v1/upstreams/devnet/alpha/drain",
                    "Bearer anything");
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(TestGateway.json(r).path("error").path("message").asText())
                    .isEqualTo("admin writes are disabled: no admin.token is configured");
        }
    }

    @Test
    void acknowledgeIsRecordedOnTheIncident() {
        MonitoringConfig fast = new MonitoringConfig(3, 3, 0.99, 14.4, Duration.ofSeconds(10), Duration.ofMinutes(1),
                10, Duration.ZERO, 2, Duration.ofDays(90), List.of());
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             TestGateway gateway = start(alpha, beta, OpsConfig.IN_MEMORY.withMonitoring(fast).withAdminToken(TOKEN))) {
            alpha.mode(new FakeUpstream.Mode.BlackHole());
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    TestGateway.json(gateway.get("/api/v1/incidents?state=open")).path("incidents").size() == 1);
            String id = TestGateway.json(gateway.get("/api/v1/incidents?state=open")).path("incidents").get(0)
                    .path("id").asText();
            AggregatedHttpResponse ack = send(gateway, HttpMethod.POST, "/api/v1/incidents/" + id + "/acknowledge",
                    "Bearer " + TOKEN);
            assertThat(ack.status().code()).isEqualTo(200);
            JsonNode incident = TestGateway.json(ack);
            assertThat(incident.path("acknowledgedBy").asText()).isEqualTo("admin API");
            assertThat(incident.path("timeline").findValuesAsText("type")).contains("acknowledged");
            assertThat(incident.path("vendor").isNull()).isTrue();
            assertThat(send(gateway, HttpMethod.POST, "/api/v1/incidents/inc-none/acknowledge", "Bearer " + TOKEN)
                    .status().code()).isEqualTo(404);
            assertThat(gateway.get("/api/v1/incidents?state=maybe").status().code()).isEqualTo(400);
            assertThat(TestGateway.json(gateway.get("/api/v1/incidents?limit=0")).path("error").path("message").asText())
                    .isEqualTo("limit: \"0\" (expected: 1..1000)");
        }
    }

    @Test
    void aMaintenanceWindowDrainsItsUpstreamAndIsShownOnTheStatusPage() {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        MaintenanceWindow window = new MaintenanceWindow("alpha upgrade", "devnet/alpha", null, now.minusMinutes(1),
                now.plusHours(1), Set.of(), null, null, ZoneId.of("UTC"), Duration.ofMinutes(2));
        MaintenanceWindow later = new MaintenanceWindow("cloudflare weekly", null, "cloudflare", null, null,
                Set.of(java.time.DayOfWeek.SUNDAY), java.time.LocalTime.of(2, 0), java.time.LocalTime.of(4, 0),
                ZoneId.of("Europe/Berlin"), Duration.ofMinutes(2));
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             TestGateway gateway = start(alpha, beta, OpsConfig.IN_MEMORY.withMaintenance(List.of(window, later)), 1)) {
            ChainUpstream a = gateway.chain().upstreams().stream().filter(u -> u.name().equals("alpha")).findFirst()
                    .orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.health().isDrained());
            assertThat(a.health().snapshot().reason()).isEqualTo("drained: maintenance window alpha upgrade");
            String page = gateway.get("/status").contentUtf8();
            assertThat(page).contains("<strong>alpha upgrade</strong> &middot; devnet/alpha &middot; "
                    + "<span class=\"badge degraded\">in progress</span>");
            assertThat(page).contains("<strong>cloudflare weekly</strong> &middot; every subject behind cloudflare "
                    + "&middot; next: Sun");
            assertThat(page).contains("Europe/Berlin");
        }
    }
}
