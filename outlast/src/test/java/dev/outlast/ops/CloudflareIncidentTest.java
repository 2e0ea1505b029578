package dev.outlast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.AlertsConfig;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.StorageConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.PostgresServer;
import dev.outlast.testing.TestGateway;
import dev.outlast.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour: a provider starts serving Cloudflare 522 pages through the real gateway; an incident
 * opens attributed to Cloudflare at the edge location of the pages, an alert reaches a local
 * receiver, and after recovery the incident resolves, is alerted resolved and stays in the history.
 * Run once with the SQLite default and once with a real PostgreSQL.
 */
class CloudflareIncidentTest {

    private static PostgresServer postgres;

    @TempDir
    Path dir;

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private StorageConfig storage(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            return StorageConfig.sqlite(dir.resolve("history.db"));
        }
        if (postgres == null) {
            postgres = PostgresServer.start();
        }
        return StorageConfig.postgres(postgres.jdbcUrl(), null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void cloudflarePagesOpenAnAttributedIncidentThatResolvesAfterRecovery(String kind) throws Exception {
        MonitoringConfig monitoring = new MonitoringConfig(3, 3, 0.99, 14.4, Duration.ofSeconds(10),
                Duration.ofMinutes(1), 10, Duration.ofMillis(500), 2, Duration.ofDays(90), List.of());
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest();
             WebhookReceiver receiver = new WebhookReceiver()) {
            OpsConfig ops = new OpsConfig(monitoring, new AlertsConfig(List.of(new AlertsConfig.Webhook("ops",
                    receiver.url(), AlertsConfig.Format.JSON)), 3, Duration.ofMillis(100)), storage(kind), List.of(), null);
            OutlastConfig config = new OutlastConfig(ServerConfig.of("127.0.0.1", 0),
                    List.of(TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri()))), ops);
            try (TestGateway gateway = TestGateway.start(config, 2)) {
                assertThat(incidents(gateway, "open")).isEmpty();

                alpha.mode(new FakeUpstream.Mode.Cloudflare(522));
                long started = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> !incidents(gateway, "open").isEmpty());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
                // Users never saw it: beta serves.
                assertThat(gateway.call("eth_blockNumber", "[]").has("result")).isTrue();

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode incident = incidents(gateway, "open").get(0);
                    assertThat(incident.path("subject").path("id").asText()).isEqualTo("devnet/alpha");
                    assertThat(incident.path("subject").path("kind").asText()).isEqualTo("chain-upstream");
                    assertThat(incident.path("vendor").asText()).isEqualTo("cloudflare");
                    assertThat(incident.path("locations").toString()).isEqualTo("[\"FRA\"]");
                    assertThat(incident.path("resolvedAt").isNull()).isTrue();
                    assertThat(incident.path("timeline").findValuesAsText("type")).startsWith("opened", "attributed");
                });
                String id = incidents(gateway, "open").get(0).path("id").asText();

                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().stream()
                        .anyMatch(a -> a.path("event").asText().equals("opened")));
                JsonNode opened = receiver.received().get(0);
                assertThat(opened.path("incident").path("id").asText()).isEqualTo(id);
                assertThat(opened.path("text").asText())
                        .isEqualTo("Incident opened: devnet/alpha down, attributed to Cloudflare at FRA [" + id + "]");

                JsonNode monitors = TestGateway.json(gateway.get("/api/v1/monitors"));
                JsonNode alphaMonitor = monitorOf(monitors, "devnet/alpha");
                assertThat(alphaMonitor.path("state").asText()).isEqualTo("down");
                assertThat(alphaMonitor.path("vendor").asText()).isEqualTo("cloudflare");
                assertThat(monitorOf(monitors, "devnet/beta").path("state").asText()).isEqualTo("ok");

                String metrics = gateway.get("/metrics").contentUtf8();
                assertThat(metrics).contains("outlast_incidents_open 1.0")
                        .contains("outlast_monitor_state{kind=\"chain-upstream\",state=\"down\",subject=\"devnet/alpha\"} 1.0");

                String page = gateway.get("/status").contentUtf8();
                assertThat(page).contains("id=\"open-incidents\"").contains("1 open incident")
                        .contains("<strong class=\"vendor\">Cloudflare</strong>").contains("edge FRA");

                alpha.mode(FakeUpstream.HONEST);
                await().atMost(Duration.ofSeconds(60)).until(() -> incidents(gateway, "open").isEmpty());
                JsonNode resolved = TestGateway.json(gateway.get("/api/v1/incidents/" + id));
                assertThat(resolved.path("state").asText()).isEqualTo("resolved");
                assertThat(resolved.path("resolvedAt").asText()).isNotEmpty();
                assertThat(resolved.path("timeline").findValuesAsText("type")).last().isEqualTo("resolved");
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().stream()
                        .anyMatch(a -> a.path("event").asText().equals("resolved")));
                assertThat(receiver.received()).extracting(a -> a.path("event").asText())
                        .containsExactly("opened", "resolved");
                assertThat(gateway.get("/metrics").contentUtf8()).contains("outlast_incidents_open 0.0")
                        .contains("outlast_alerts_total{outcome=\"delivered\"} 2.0");

                // The history store has it, with its timeline.
                gateway.server().operations().syncHistory();
                gateway.server().operations().history().refresh();
                gateway.server().operations().history().sync();
                assertThat(gateway.server().operations().history().cached().incidents())
                        .anySatisfy(i -> {
                            assertThat(i.id()).isEqualTo(id);
                            assertThat(i.state()).isEqualTo("resolved");
                            assertThat(i.vendorLabel()).isEqualTo("cloudflare");
                            assertThat(i.timeline()).extracting(t -> t.type()).contains("opened", "attributed", "resolved");
                        });
                assertThat(gateway.server().operations().history().cached().uptime().get("devnet/alpha"))
                        .singleElement().satisfies(u -> {
                            assertThat(u.failed()).isPositive();
                            assertThat(u.ok()).isPositive();
                        });
            }
        }
    }

    private static List<JsonNode> incidents(TestGateway gateway, String state) {
        JsonNode body = TestGateway.json(gateway.get("/api/v1/incidents?state=" + state));
        List<JsonNode> out = new java.util.ArrayList<>();
        body.path("incidents").forEach(out::add);
        return out;
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
