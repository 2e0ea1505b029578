package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * An upstream that starts answering for another chain (its health state: misconfigured) opens an
 * incident on that upstream even though it answers every call, and the incident resolves once it
 * serves the right chain again.
 */
@BothPaths
class WrongChainIncidentTest {

    @Parameter
    private ServerPath path;

    @Test
    void anUpstreamServingAnotherChainOpensAnIncidentNamingBothChainIdsAndResolvesWhenFixed() {
        MonitoringConfig monitoring = new MonitoringConfig(3, 3, 0.99, 14.4, Duration.ofSeconds(10),
                Duration.ofMinutes(1), 10, Duration.ZERO, 2, Duration.ofDays(90), List.of());
        try (FakeUpstream alpha = FakeUpstream.honest(); FakeUpstream beta = FakeUpstream.honest()) {
            ChainConfig chain = TestGateway.chain(Map.of("alpha", alpha.uri(), "beta", beta.uri()),
                    c -> new ChainConfig(c.id(), c.chainId(), c.upstreams(), c.requestTimeout(), c.headPollInterval(),
                            Duration.ofMillis(200), c.maxLagBlocks(), c.consensus(), c.hedging(), c.deniedMethods(),
                            c.verify(), c.logs()));
            try (TestGateway gateway = TestGateway.start(new OutlastConfig(path.server(),
                    List.of(chain), OpsConfig.IN_MEMORY.withMonitoring(monitoring)), 2)) {
                assertThat(open(gateway)).isEmpty();

                beta.mode(new FakeUpstream.Mode.WrongChain(5));
                await().atMost(Duration.ofSeconds(20)).until(() -> !open(gateway).isEmpty());
                JsonNode incident = open(gateway).get(0);
                assertThat(incident.path("subject").path("id").asText()).isEqualTo("devnet/beta");
                assertThat(incident.path("severity").asText()).isEqualTo("down");
                assertThat(incident.path("timeline").get(0).path("message").asText())
                        .isEqualTo("devnet/beta down: wrong chain id: expected 0x539 (1337) got 0x5 (5)");
                JsonNode monitor = monitorOf(gateway, "devnet/beta");
                assertThat(monitor.path("state").asText()).isEqualTo("down");
                assertThat(monitor.path("reason").asText()).isEqualTo("wrong chain id: expected 0x539 (1337) got 0x5 (5)");
                // Users are served by alpha meanwhile, and beta's answers do not resolve the incident.
                assertThat(gateway.call("eth_blockNumber", "[]").has("result")).isTrue();
                assertThat(open(gateway)).hasSize(1);

                beta.mode(FakeUpstream.HONEST);
                await().atMost(Duration.ofSeconds(20)).until(() -> open(gateway).isEmpty());
                JsonNode resolved = TestGateway.json(gateway.get("/api/v1/incidents/" + incident.path("id").asText()));
                assertThat(resolved.path("state").asText()).isEqualTo("resolved");
                assertThat(monitorOf(gateway, "devnet/beta").path("state").asText()).isEqualTo("ok");
            }
        }
    }

    private static List<JsonNode> open(TestGateway gateway) {
        List<JsonNode> out = new ArrayList<>();
        TestGateway.json(gateway.get("/api/v1/incidents?state=open")).path("incidents").forEach(out::add);
        return out;
    }

    private static JsonNode monitorOf(TestGateway gateway, String id) {
        for (JsonNode m : TestGateway.json(gateway.get("/api/v1/monitors")).path("monitors")) {
            if (m.path("subject").path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no monitor " + id);
    }
}
