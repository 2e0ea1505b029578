package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.HedgingConfig;
import dev.outlast.config.LogsConfig;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** eth_getLogs over wide ranges: split into ranges upstreams accept, merged in order, chunks failing over. */
@BothPaths
class LogsSplitTest {

    @Parameter
    private ServerPath path;

    private final FakeUpstream alpha = new FakeUpstream(1337, 5000);
    private final FakeUpstream beta = new FakeUpstream(1337, 5000);
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        alpha.close();
        beta.close();
    }

    private void start(LogsConfig logs, CacheConfig cache) {
        Map<String, URI> map = new LinkedHashMap<>();
        map.put("alpha", alpha.uri());
        map.put("beta", beta.uri());
        // Not hedged: a hedge of a chunk slow on a loaded machine would add calls these tests count.
        gateway = TestGateway.start(path, TestGateway.chain(map, c -> c.withLogs(logs)
                .withHedging(new HedgingConfig(false, HedgingConfig.DEFAULT_MIN_DELAY, HedgingConfig.DEFAULT_MAX_DELAY))),
                2, cache);
    }

    private AggregatedHttpResponse logs(long from, long to) {
        return gateway.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_getLogs\",\"params\":[{\"address\":"
                + "\"0x000000000000000000000000000000000000beef\",\"fromBlock\":\"0x" + Long.toHexString(from)
                + "\",\"toBlock\":\"0x" + Long.toHexString(to) + "\"}]}");
    }

    private int calls() {
        return alpha.calls("eth_getLogs") + beta.calls("eth_getLogs");
    }

    private static void assertOneLogPerBlock(JsonNode result, long from, long to) {
        assertThat(result.isArray()).as("result %s", result).isTrue();
        assertThat(result.size()).isEqualTo((int) (to - from + 1));
        for (int i = 0; i < result.size(); i++) {
            assertThat(result.get(i).path("blockNumber").asText()).isEqualTo("0x" + Long.toHexString(from + i));
        }
    }

    @Test
    void aRangeAnUpstreamRefusesIsSplitIntoTheRangeItNamesAndMergedInOrder() {
        alpha.setLogsRangeLimit(100);
        beta.setLogsRangeLimit(100);
        start(LogsConfig.DEFAULT, CacheConfig.OFF);

        AggregatedHttpResponse response = logs(1000, 1999);

        assertOneLogPerBlock(TestGateway.json(response).path("result"), 1000, 1999);
        assertThat(TestGateway.json(response).path("id").asInt()).isEqualTo(3);
        // One refused call, then ten of 100 blocks.
        assertThat(calls()).isEqualTo(11);
        // Learned: the next wide request is split at once, with no refused call.
        int before = calls();
        assertOneLogPerBlock(TestGateway.json(logs(2000, 2499)).path("result"), 2000, 2499);
        assertThat(calls() - before).isEqualTo(5);
    }

    @Test
    void theConfiguredMaximumSplitsWithoutAsking() {
        start(new LogsConfig(250, 100), CacheConfig.OFF);

        assertOneLogPerBlock(TestGateway.json(logs(0, 999)).path("result"), 0, 999);
        assertThat(calls()).isEqualTo(4);
    }

    @Test
    void aRangeNeedingTooManyCallsIsRefusedWithAClearError() {
        start(new LogsConfig(10, 5), CacheConfig.OFF);

        JsonNode error = TestGateway.json(logs(0, 999)).path("error");

        assertThat(error.path("code").asInt()).isEqualTo(-32062);
        assertThat(error.path("message").asText()).contains("1000 blocks").contains("more than 5 calls of 10 blocks");
        assertThat(error.path("data").path("reason").asText()).isEqualTo("range_too_wide");
        assertThat(calls()).isZero();
    }

    @Test
    void everyChunkFailsOverOnItsOwn() {
        start(new LogsConfig(100, 100), CacheConfig.OFF);
        alpha.mode(new FakeUpstream.Mode.Cloudflare(502));

        AggregatedHttpResponse response = logs(0, 799);

        assertOneLogPerBlock(TestGateway.json(response).path("result"), 0, 799);
        assertThat(response.headers().get("x-outlast-upstream")).isEqualTo("beta");
        assertThat(beta.calls("eth_getLogs")).isEqualTo(8);
    }

    @Test
    void chunksOfFinalBlocksAreCached() {
        start(new LogsConfig(100, 100), CacheConfig.DEFAULT);
        org.awaitility.Awaitility.await().until(() -> gateway.chain().cacheFinality().finalBlock() >= 1000);

        assertThat(logs(0, 499).headers().get("x-outlast-cache")).isEqualTo("MISS");
        int calls = calls();
        AggregatedHttpResponse again = logs(0, 499);

        assertThat(again.headers().get("x-outlast-cache")).isEqualTo("HIT");
        assertOneLogPerBlock(TestGateway.json(again).path("result"), 0, 499);
        assertThat(calls()).isEqualTo(calls);
        // An overlapping range reuses the chunks it shares.
        logs(200, 699);
        assertThat(calls()).isEqualTo(calls + 2);
    }

    @Test
    void providersWordingsOfTheLimitAreUnderstood() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode alchemy = json.readTree("{\"code\":-32602,\"message\":\"Log response size exceeded. You can make "
                + "eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can "
                + "request any block range with a cap of 10K logs in the response. Based on your parameters, this "
                + "block range should work: [0x10, 0x7cf]\"}");
        JsonNode upTo = json.readTree("{\"code\":-32602,\"message\":\"You can make eth_getLogs requests with up to a "
                + "2K block range\"}");
        JsonNode erigon = json.readTree("{\"code\":-32000,\"message\":\"exceed maximum block range: 5000\"}");
        JsonNode quicknode = json.readTree("{\"code\":-32614,\"message\":\"eth_getLogs is limited to a 10,000 range\"}");
        JsonNode infura = json.readTree("{\"code\":-32005,\"message\":\"query returned more than 10000 results\"}");
        JsonNode revert = json.readTree("{\"code\":3,\"message\":\"execution reverted\"}");

        assertThat(LogsSplit.isTooWide(alchemy)).isTrue();
        assertThat(LogsSplit.acceptedRange(alchemy)).hasValue(0x7cf - 0x10 + 1);
        assertThat(LogsSplit.acceptedRange(upTo)).hasValue(2000);
        assertThat(LogsSplit.acceptedRange(erigon)).hasValue(5000);
        assertThat(LogsSplit.acceptedRange(quicknode)).hasValue(10_000);
        assertThat(LogsSplit.isTooWide(infura)).isTrue();
        assertThat(LogsSplit.acceptedRange(infura)).isEmpty();
        assertThat(LogsSplit.isTooWide(revert)).isFalse();
    }
}
