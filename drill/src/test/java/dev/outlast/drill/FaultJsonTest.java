package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyFaultSurvivesARoundTrip() throws Exception {
        List<Fault> faults = List.of(
                Fault.cloudflare(522),
                Fault.edge(Fault.EdgePage.Edge.CLOUDFRONT, 504),
                Fault.edge(Fault.EdgePage.Edge.AWS_ELB, 503),
                Fault.edge(Fault.EdgePage.Edge.FASTLY, 503),
                Fault.edge(Fault.EdgePage.Edge.AKAMAI, 502).withP(0.25),
                Fault.latency(new Fault.LatencyDistribution.Percentiles(Duration.ofMillis(100), Duration.ofSeconds(2))),
                Fault.http(502, Map.of("server", "awselb/2.0"), "<html>502 Bad Gateway</html>").withP(0.5),
                Fault.rateLimited(5),
                Fault.errorRate(0.2, 503),
                Fault.latency(Duration.ofMillis(200), Duration.ofMillis(50)),
                Fault.reset().withP(0.1),
                Fault.blackHole(),
                Fault.notJson(),
                Fault.truncated(),
                Fault.lie(Set.of("eth_getBalance")),
                Fault.lag(5),
                Fault.wrongChain(1));

        String json = FaultJson.toJson(faults).toString();

        assertThat(FaultJson.fromJson(MAPPER.readTree(json))).isEqualTo(faults);
    }

    @Test
    void defaultsApplyToMissingFields() throws Exception {
        List<Fault> faults = FaultJson.fromJson(MAPPER.readTree(
                "[{\"type\":\"lie\"},{\"type\":\"error_rate\"},{\"type\":\"bad_body\"}]"));

        assertThat(faults).containsExactly(Fault.lie(), Fault.errorRate(1, 503), Fault.notJson());
    }

    @Test
    void aSingleObjectIsAListOfOne() throws Exception {
        assertThat(FaultJson.fromJson(MAPPER.readTree("{\"type\":\"reset\",\"p\":0.5}")))
                .containsExactly(Fault.reset().withP(0.5));
    }

    @Test
    void badValuesAreNamedWithTheirPath() {
        assertThatThrownBy(() -> FaultJson.fromJson(MAPPER.readTree("[{\"type\":\"reset\",\"p\":2}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("[0].p: 2.0 (expected: 0..1)");
        assertThatThrownBy(() -> FaultJson.fromJson(MAPPER.readTree("[{\"type\":\"flood\"}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("[0].type: \"flood\"");
        assertThatThrownBy(() -> FaultJson.fromJson(MAPPER.readTree("[{\"type\":\"lag\"}]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("[0].blocks: missing (expected: a value)");
    }
}
