package dev.outlast.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The cache through the real gateway: two fake providers at head 100 that serve blocks, so the
 * chain is final up to block 36 (head - the default reorg horizon of 64) and watched above.
 */
@BothPaths
class CacheBehaviourTest {

    @Parameter
    private ServerPath path;

    private static final String ADDRESS = "\"0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1\"";

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

    private void startWatching() {
        gateway = TestGateway.start(path, both());
        Finality finality = gateway.chain().cacheFinality();
        await().atMost(Duration.ofSeconds(10)).until(() -> finality.finalBlock() >= 36 && finality.hashAt(100) != null
                && finality.hashAt(37) != null);
    }

    private AggregatedHttpResponse balance(String block) {
        return gateway.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_getBalance\",\"params\":[" + ADDRESS
                + ",\"" + block + "\"]}");
    }

    private int balanceCalls() {
        return alpha.calls("eth_getBalance") + beta.calls("eth_getBalance");
    }

    @Test
    void aFinalAnswerIsServedFromTheCacheWithItsOriginalExplanation() {
        startWatching();
        AggregatedHttpResponse first = balance("0x10");
        int calls = balanceCalls();
        AggregatedHttpResponse second = balance("0x10");

        assertThat(first.headers().get("x-outlast-cache")).isEqualTo("MISS");
        assertThat(second.headers().get("x-outlast-cache")).isEqualTo("HIT");
        assertThat(balanceCalls()).isEqualTo(calls);
        assertThat(TestGateway.json(second)).isEqualTo(TestGateway.json(first));
        assertThat(TestGateway.json(second).path("id").asInt()).isEqualTo(7);
        assertThat(second.headers().get("x-outlast-consensus")).isEqualTo(first.headers().get("x-outlast-consensus"))
                .isEqualTo("2/2");
        assertThat(second.headers().get("x-outlast-upstream")).isEqualTo(first.headers().get("x-outlast-upstream"));
        String metrics = gateway.get("/metrics").contentUtf8();
        assertThat(metrics).contains("outlast_cache_requests_total{chain=\"devnet\",method=\"eth_getBalance\","
                + "result=\"hit\",tier=\"local\"} 1.0");
        assertThat(metrics).contains("outlast_cache_bytes ");
    }

    @Test
    void latestIsCachedForItsBlockOnly() {
        startWatching();
        assertThat(balance("latest").headers().get("x-outlast-cache")).isEqualTo("MISS");
        assertThat(balance("latest").headers().get("x-outlast-cache")).isEqualTo("HIT");
        int calls = balanceCalls();

        alpha.setHead(101);
        beta.setHead(101);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.chain().servedHead() == 101);
        alpha.setBalance("0x2a");
        beta.setBalance("0x2a");

        AggregatedHttpResponse next = balance("latest");
        assertThat(next.headers().get("x-outlast-cache")).isEqualTo("MISS");
        assertThat(TestGateway.json(next).path("result").asText()).isEqualTo("0x2a");
        assertThat(balanceCalls()).isGreaterThan(calls);
    }

    @Test
    void errorsAndMissingBlocksAreNeverCached() {
        startWatching();
        String revert = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[{\"to\":" + ADDRESS
                + ",\"data\":\"0xdead\"},\"0x10\"]}";
        for (int i = 0; i < 2; i++) {
            AggregatedHttpResponse r = gateway.post(revert);
            assertThat(TestGateway.json(r).path("error").path("message").asText()).contains("execution reverted");
            assertThat(r.headers().get("x-outlast-cache")).isEqualTo("MISS");
        }
        int before = alpha.calls("eth_getBlockByNumber") + beta.calls("eth_getBlockByNumber");
        String future = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x1f4\",false]}";
        for (int i = 0; i < 2; i++) {
            AggregatedHttpResponse r = gateway.post(future);
            assertThat(TestGateway.json(r).path("result").isNull()).isTrue();
            assertThat(r.headers().get("x-outlast-cache")).isEqualTo("MISS");
        }
        assertThat(alpha.calls("eth_getBlockByNumber") + beta.calls("eth_getBlockByNumber") - before)
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void anAnswerConsensusDidNotConfirmIsNotCached() {
        ChainConfig chain = TestGateway.chain(both(), c -> new ChainConfig(c.id(), c.chainId(), c.upstreams(),
                c.requestTimeout(), c.headPollInterval(), c.chainIdCheckInterval(), c.maxLagBlocks(),
                new ConsensusConfig(ConsensusConfig.DEFAULT_METHODS, 2, ConsensusConfig.SingleUpstreamPolicy.SERVE),
                c.hedging(), c.deniedMethods()));
        gateway = TestGateway.start(path, chain, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.chain().cacheFinality().finalBlock() >= 36);
        beta.mode(new FakeUpstream.Mode.Cloudflare(522));

        for (int i = 0; i < 3; i++) {
            AggregatedHttpResponse r = balance("0x10");
            assertThat(TestGateway.json(r).path("result").asText()).isEqualTo("0xde0b6b3a7640000");
            // Served short: one upstream answered (the failing one was asked too, and retried).
            assertThat(r.headers().get("x-outlast-consensus")).startsWith("1/");
            assertThat(r.headers().get("x-outlast-cache")).isEqualTo("MISS");
        }
        assertThat(alpha.calls("eth_getBalance")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aReorgEvictsTheAnswersOfTheReplacedBlocks() {
        startWatching();
        assertThat(balance("0x60").headers().get("x-outlast-cache")).isEqualTo("MISS");
        assertThat(balance("0x60").headers().get("x-outlast-cache")).isEqualTo("HIT");
        assertThat(balance("0x5a").headers().get("x-outlast-cache")).isEqualTo("MISS");
        assertThat(balance("0x5a").headers().get("x-outlast-cache")).isEqualTo("HIT");
        String oldHash = gateway.chain().cacheFinality().hashAt(96);

        // Blocks 95..100 are replaced at the same heights: no new head announces it.
        alpha.reorg(95);
        beta.reorg(95);
        alpha.setBalance("0x2a");
        beta.setBalance("0x2a");
        await().atMost(Duration.ofSeconds(10)).until(() -> !oldHash.equals(gateway.chain().cacheFinality().hashAt(96)));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/metrics").contentUtf8()
                .contains("outlast_reorgs_total{chain=\"devnet\"}"));

        AggregatedHttpResponse replaced = balance("0x60");
        assertThat(replaced.headers().get("x-outlast-cache")).isEqualTo("MISS");
        assertThat(TestGateway.json(replaced).path("result").asText()).isEqualTo("0x2a");
        // Block 90 was not replaced: its answer stays.
        assertThat(balance("0x5a").headers().get("x-outlast-cache")).isEqualTo("HIT");
        assertThat(gateway.get("/metrics").contentUtf8())
                .contains("outlast_cache_evictions_total{cause=\"reorg\",chain=\"devnet\",method=\"eth_getBalance\"} 1.0");
    }

    @Test
    void aBatchSaysWhichOfItsAnswersCameFromTheCache() {
        startWatching();
        balance("0x10");
        AggregatedHttpResponse batch = gateway.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBalance\","
                + "\"params\":[" + ADDRESS + ",\"0x10\"]},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_getBalance\","
                + "\"params\":[" + ADDRESS + ",\"0x11\"]}]");
        assertThat(batch.headers().get("x-outlast-cache")).isEqualTo("HIT,MISS");
        assertThat(TestGateway.json(batch).get(0).path("id").asInt()).isEqualTo(1);
        assertThat(TestGateway.json(batch).get(1).path("id").asInt()).isEqualTo(2);
    }
}
