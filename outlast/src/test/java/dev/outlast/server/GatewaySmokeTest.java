package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

@BothPaths
class GatewaySmokeTest {

    @Parameter
    private ServerPath path;

    @Test
    void servesBalanceAgreedByTwoUpstreams() {
        try (FakeUpstream a = FakeUpstream.honest(); FakeUpstream b = FakeUpstream.honest();
             TestGateway gw = TestGateway.start(path, Map.of("alpha", a.uri(), "beta", b.uri()))) {
            AggregatedHttpResponse res = gw.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_getBalance\","
                    + "\"params\":[\"0x00000000000000000000000000000000000000aa\",\"latest\"]}");
            JsonNode body = TestGateway.json(res);
            assertThat(body.path("result").asText()).isEqualTo("0xde0b6b3a7640000");
            assertThat(body.path("id").asInt()).isEqualTo(7);
            assertThat(res.headers().get("x-outlast-consensus")).isEqualTo("2/2");
            assertThat(res.headers().get("x-outlast-upstream")).contains("alpha").contains("beta");
        }
    }
}
