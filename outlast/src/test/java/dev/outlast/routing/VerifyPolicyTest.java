package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.VerifyConfig;
import dev.outlast.config.VerifyMode;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The chain's {@code verify} policy over upstreams that do not serve {@code eth_getProof} (the fake
 * answers "method does not exist", as many providers do). Proofs from real nodes are covered by
 * {@code ProofReadIT} and the {@code verify} unit tests.
 */
@BothPaths
class VerifyPolicyTest {

    @Parameter
    private ServerPath path;

    private static final String BALANCE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\","
            + "\"params\":[\"0x00000000000000000000000000000000000000aa\",\"latest\"]}";
    private static final String TRUE_BALANCE = "0xde0b6b3a7640000";

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    private TestGateway start(VerifyConfig verify) {
        Map<String, URI> upstreams = new LinkedHashMap<>();
        upstreams.put("alpha", fakes.get(0).uri());
        upstreams.put("beta", fakes.get(1).uri());
        return TestGateway.start(path, TestGateway.chain(upstreams, c -> c.withVerify(verify)), 2, CacheConfig.OFF);
    }

    private void awaitProbed() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gateway.chain().upstreams())
                .allSatisfy(u -> assertThat(gateway.chain().proofSupport(u.name())).isEqualTo("unsupported")));
    }

    @Test
    void autoFallsBackToConsensusWhenNoUpstreamServesProofs() {
        gateway = start(VerifyConfig.DEFAULT);
        awaitProbed();
        AggregatedHttpResponse res = gateway.post(BALANCE);
        assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo(TRUE_BALANCE);
        assertThat(res.headers().get("x-outlast-consensus")).isEqualTo("2/2");
        assertThat(res.headers().get("x-outlast-verified")).isNull();

        JsonNode chain = TestGateway.json(gateway.get("/api/v1/upstreams")).path("chains").get(0);
        assertThat(chain.path("verify").path("mode").asText()).isEqualTo("auto");
        assertThat(chain.path("verify").path("now").asText()).isEqualTo("consensus");
        assertThat(chain.path("upstreams").get(0).path("proofs").asText()).isEqualTo("unsupported");
        assertThat(chain.path("upstreams").get(0).path("state").asText())
                .as("a probe answered 'method does not exist' does not count against health").isEqualTo("healthy");
    }

    @Test
    void forcedProofsRefuseWithProofUnavailableRatherThanServeAnUnverifiedBalance() {
        gateway = start(VerifyConfig.of(VerifyMode.PROOFS));
        AggregatedHttpResponse res = gateway.post(BALANCE);
        JsonNode error = TestGateway.json(res).path("error");
        assertThat(error.path("code").asInt()).as(res.contentUtf8()).isEqualTo(-32061);
        assertThat(error.path("data").path("reason").asText()).isEqualTo("proof_unavailable");
        assertThat(res.contentUtf8()).doesNotContain(TRUE_BALANCE);
    }

    @Test
    void allowUnverifiedServesTheConsensusAnswerMarkedNone() {
        gateway = start(new VerifyConfig(VerifyMode.PROOFS, true));
        AggregatedHttpResponse res = gateway.post(BALANCE);
        assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo(TRUE_BALANCE);
        assertThat(res.headers().get("x-outlast-verified")).isEqualTo("none");
        assertThat(res.headers().get("x-outlast-consensus")).isEqualTo("2/2");
    }

    @Test
    void allowUnverifiedStillRefusesWhenConsensusFailsToo() {
        gateway = start(new VerifyConfig(VerifyMode.PROOFS, true));
        fakes.get(0).mode(new FakeUpstream.Mode.LiesZero());
        AggregatedHttpResponse res = gateway.post(BALANCE);
        JsonNode error = TestGateway.json(res).path("error");
        assertThat(error.path("data").path("reason").asText()).as(res.contentUtf8()).isEqualTo("proof_unavailable");
        assertThat(res.contentUtf8()).doesNotContain("\"result\"");
    }

    @Test
    void bothNeedsTheProofAsWellAsTheQuorum() {
        gateway = start(VerifyConfig.of(VerifyMode.BOTH));
        AggregatedHttpResponse res = gateway.post(BALANCE);
        assertThat(TestGateway.json(res).path("error").path("data").path("reason").asText()).as(res.contentUtf8())
                .isEqualTo("proof_unavailable");
    }

    @Test
    void pendingReadsStayOnConsensusUnderForcedProofs() {
        gateway = start(VerifyConfig.of(VerifyMode.PROOFS));
        AggregatedHttpResponse res = gateway.post(BALANCE.replace("latest", "pending"));
        assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo(TRUE_BALANCE);
        assertThat(res.headers().get("x-outlast-verified")).isNull();
    }
}
