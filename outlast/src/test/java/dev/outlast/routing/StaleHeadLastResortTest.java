package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.ChainConfig;
import dev.outlast.health.HealthState;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.TestGateway;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression for a drill finding ({@code drill run partition}): an upstream whose last polled head
 * is far behind (its lag just ended, or it is back from a black hole) was never asked, even when it
 * was the only way to reach a quorum, and the client got {@code no_quorum}.
 */
class StaleHeadLastResortTest {

    private static final Duration SLOW_POLLS = Duration.ofSeconds(5);
    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    @Test
    void asksAnUpstreamLastSeenFarBehindWhenNoQuorumIsPossibleOtherwise() {
        fakes.forEach(f -> f.setHead(150));
        fakes.get(2).mode(new Mode.Lagging(20));
        gateway = TestGateway.start(TestGateway.chain(upstreams(), StaleHeadLastResortTest::slowPolls), 3);
        await().untilAsserted(() -> {
            assertThat(gateway.chain().servedHead()).isEqualTo(150);
            assertThat(gateway.chain().upstreams().get(2).health().state()).isEqualTo(HealthState.LAGGING);
        });
        // gamma catches up, but the gateway only learns it at the next head poll; alpha fails meanwhile.
        fakes.get(2).mode(new Mode.Honest());
        fakes.get(0).mode(new Mode.Cloudflare(522));
        int gammaBefore = fakes.get(2).calls("eth_getTransactionCount");

        AggregatedHttpResponse res = gateway.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionCount\","
                + "\"params\":[\"0x00000000000000000000000000000000000000aa\",\"latest\"]}");

        assertThat(TestGateway.json(res).path("result").asText()).as(res.contentUtf8()).isEqualTo("0x5");
        assertThat(res.headers().get("x-outlast-upstream")).contains("beta").contains("gamma");
        assertThat(fakes.get(2).calls("eth_getTransactionCount")).isGreaterThan(gammaBefore);
    }

    private Map<String, URI> upstreams() {
        Map<String, URI> map = new LinkedHashMap<>();
        map.put("alpha", fakes.get(0).uri());
        map.put("beta", fakes.get(1).uri());
        map.put("gamma", fakes.get(2).uri());
        return map;
    }

    private static ChainConfig slowPolls(ChainConfig c) {
        return new ChainConfig(c.id(), c.chainId(), c.upstreams(), c.requestTimeout(), SLOW_POLLS,
                c.chainIdCheckInterval(), c.maxLagBlocks(), c.consensus(), c.hedging(), c.deniedMethods(), c.verify());
    }
}
