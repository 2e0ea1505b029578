package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.health.HealthState;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.FakeUpstream.Mode;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

@BothPaths
class FailoverTest {

    @Parameter
    private ServerPath path;

    private final FakeUpstream alpha = FakeUpstream.honest();
    private final FakeUpstream beta = FakeUpstream.honest();
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        alpha.close();
        beta.close();
    }

    private Map<String, java.net.URI> both() {
        Map<String, java.net.URI> map = new LinkedHashMap<>();
        map.put("alpha", alpha.uri());
        map.put("beta", beta.uri());
        return map;
    }

    private static final String NET_VERSION = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"net_version\",\"params\":[]}";

    @Test
    void failsOverWhenPrimaryReturnsCloudflare522() {
        gateway = TestGateway.start(path, both());
        alpha.mode(new Mode.Cloudflare(522));
        for (int i = 0; i < 20; i++) {
            AggregatedHttpResponse res = gateway.post(NET_VERSION);
            assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("1337");
            assertThat(res.headers().get("x-outlast-upstream")).isEqualTo("beta");
        }
        await().untilAsserted(() -> assertThat(health("alpha").state()).isEqualTo(HealthState.DOWN));
        assertThat(health("alpha").snapshot().reason()).contains("cloudflare 522");
    }

    @Test
    void upstreamAnswering429IsNotAskedUntilRetryAfter() {
        // Without the cache, so every call is routed; alpha's 429 comes from a call or a head poll,
        // whichever reaches it first.
        gateway = TestGateway.start(path, TestGateway.chain(both(), c -> c), 2, dev.outlast.config.CacheConfig.OFF);
        alpha.mode(new Mode.RateLimited(30));
        await().untilAsserted(() -> {
            assertThat(gateway.call("net_version", "[]").path("result").asText()).isEqualTo("1337");
            assertThat(health("alpha").snapshot().reason()).contains("rate limited");
        });
        int asked = alpha.calls("net_version");
        for (int i = 0; i < 10; i++) {
            assertThat(gateway.call("net_version", "[]").path("result").asText()).isEqualTo("1337");
        }
        assertThat(alpha.calls("net_version")).as("not asked within its Retry-After").isEqualTo(asked);
    }

    @Test
    void hedgesWhenPrimaryIsSlowerThanUsual() {
        // Without the cache: net_version would be answered from it after the first call.
        gateway = TestGateway.start(path, TestGateway.chain(both(), c -> withHedging(c,
                new HedgingConfig(true, Duration.ofMillis(50), Duration.ofMillis(200)))), 2, dev.outlast.config.CacheConfig.OFF);
        alpha.mode(new Mode.Slow(Duration.ofSeconds(2)));
        beta.mode(new Mode.Slow(Duration.ofSeconds(2)));
        // Both slow: no upstream is faster, so every answer still arrives, within the deadline.
        long start = System.nanoTime();
        assertThat(gateway.call("net_version", "[]").path("result").asText()).isEqualTo("1337");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        beta.mode(FakeUpstream.HONEST);
        // Whichever is chosen first, a slow alpha is hedged with beta within the hedge delay.
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            AggregatedHttpResponse res = gateway.post(NET_VERSION);
            assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("1337");
            assertThat(res.headers().get("x-outlast-upstream")).isEqualTo("beta");
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void blackHoledUpstreamDoesNotHangTheClient() {
        gateway = TestGateway.start(path, both());
        alpha.mode(new Mode.BlackHole());
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            assertThat(gateway.call("net_version", "[]").path("result").asText()).isEqualTo("1337");
            // Hedged after at most hedging.maxDelay (2 s), far inside the 10 s deadline; margin for a loaded machine.
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(5000));
        }
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(health("alpha").state()).isEqualTo(HealthState.DOWN));
    }

    @Test
    void everyUpstreamFailingGivesAllUpstreamsFailedWithDetail() {
        gateway = TestGateway.start(path, both());
        alpha.mode(new Mode.Cloudflare(502));
        beta.mode(new Mode.NotJson());
        JsonNode error = gateway.call("net_version", "[]").path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32051);
        assertThat(error.path("data").path("reason").asText()).isEqualTo("all_upstreams_failed");
        assertThat(error.path("data").path("upstreams").toString())
                .contains("vendor_page").contains("cloudflare 502").contains("bad_response");
    }

    @Test
    void deterministicErrorIsReturnedAsItCameAndNotRetried() {
        gateway = TestGateway.start(path, TestGateway.chain(both(), c -> c), 2);
        JsonNode body = gateway.call("eth_call", "[{\"to\":\"0x00000000000000000000000000000000000000aa\","
                + "\"data\":\"0xdead\"},\"latest\"]");
        assertThat(body.path("error").path("code").asInt()).isEqualTo(3);
        assertThat(body.path("error").path("message").asText()).isEqualTo("execution reverted");
        // Consensus asks two, and both agree on the revert; nobody is asked twice.
        assertThat(alpha.calls("eth_call") + beta.calls("eth_call")).isEqualTo(2);
    }

    @Test
    void failsOverWhenPrimaryResetsConnections() {
        try (dev.outlast.drill.FaultProxy resetting = dev.outlast.drill.FaultProxy.start(alpha.uri(), 0)) {
            Map<String, java.net.URI> map = new LinkedHashMap<>();
            map.put("alpha", resetting.uri());
            map.put("beta", beta.uri());
            gateway = TestGateway.start(path, map);
            resetting.setFault(dev.outlast.drill.Fault.reset());
            for (int i = 0; i < 20; i++) {
                AggregatedHttpResponse res = gateway.post(NET_VERSION);
                assertThat(TestGateway.json(res).path("result").asText()).isEqualTo("1337");
                assertThat(res.headers().get("x-outlast-upstream")).isEqualTo("beta");
            }
            await().untilAsserted(() -> assertThat(health("alpha").state()).isEqualTo(HealthState.DOWN));
            assertThat(health("alpha").snapshot().lastFailure()).isEqualTo(dev.outlast.transport.FailureKind.RESET);
        }
    }

    private dev.outlast.health.UpstreamHealth health(String name) {
        return gateway.chain().upstreams().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow()
                .health();
    }

    private static ChainConfig withHedging(ChainConfig c, HedgingConfig hedging) {
        return new ChainConfig(c.id(), c.chainId(), c.upstreams(), c.requestTimeout(), c.headPollInterval(),
                c.chainIdCheckInterval(), c.maxLagBlocks(), c.consensus(), hedging, c.deniedMethods());
    }
}
