package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.StorageConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite history outlives the process: a restart shows past incidents and closes one left open. */
class HistoryRestartTest {

    @TempDir
    Path dir;

    @Test
    void anIncidentOpenAtShutdownIsInTheHistoryAfterARestartMarkedClosedAtRestart() {
        MonitoringConfig fast = new MonitoringConfig(3, 3, 0.99, 14.4, Duration.ofSeconds(10), Duration.ofMinutes(1),
                10, Duration.ZERO, 2, Duration.ofDays(90), List.of());
        OpsConfig ops = OpsConfig.IN_MEMORY.withMonitoring(fast).withStorage(StorageConfig.sqlite(dir.resolve("h.db")));
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest()) {
            OutlastConfig config = new OutlastConfig(ServerConfig.of("127.0.0.1", 0),
                    List.of(TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri()))), ops);
            String id;
            try (TestGateway first = TestGateway.start(config, 2)) {
                alpha.mode(new FakeUpstream.Mode.Cloudflare(502));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        TestGateway.json(first.get("/api/v1/incidents?state=open")).path("incidents").size() == 1);
                id = TestGateway.json(first.get("/api/v1/incidents")).path("incidents").get(0).path("id").asText();
                first.server().close();
            }
            alpha.mode(FakeUpstream.HONEST);
            try (TestGateway second = TestGateway.start(config, 2)) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    JsonNode incident = TestGateway.json(second.get("/api/v1/incidents/" + id));
                    assertThat(incident.path("state").asText()).isEqualTo("resolved");
                    assertThat(incident.path("vendor").asText()).isEqualTo("cloudflare");
                    assertThat(incident.path("timeline").findValuesAsText("message")).last().asString()
                            .startsWith("closed at restart");
                });
                assertThat(TestGateway.json(second.get("/api/v1/incidents?state=open")).path("incidents")).isEmpty();
                assertThat(second.get("/status").contentUtf8()).contains("id=\"history\"").contains("data-id=\"" + id + "\"");
            }
        }
    }
}
