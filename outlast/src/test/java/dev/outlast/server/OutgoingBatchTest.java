package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.CacheConfig;
import dev.outlast.testing.BothPaths;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** A client's batch reaches each upstream as one JSON-RPC batch, not one HTTP request per element. */
@BothPaths
class OutgoingBatchTest {

    @Parameter
    private ServerPath path;

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    private void start(int n) {
        // Without the cache, so every element is asked upstream.
        gateway = TestGateway.start(path, TestGateway.chain(TestGateway.named(fakes.subList(0, n))), n, CacheConfig.OFF);
    }

    private static String batchOfBalances(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(100 + i)
             .append(",\"method\":\"eth_getBalance\",\"params\":[\"").append(String.format("0x%040x", i + 1))
             .append("\",\"0x10\"]}");
        }
        return b.append(']').toString();
    }

    private static void assertAnswered(JsonNode answers, int n) {
        assertThat(answers.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(answers.get(i).path("id").asInt()).isEqualTo(100 + i);
            assertThat(answers.get(i).path("result").asText()).as("answer %s", answers.get(i))
                    .isEqualTo("0xde0b6b3a7640000");
        }
    }

    @Test
    void aClientBatchReachesEachUpstreamAsOneBatch() {
        start(2);
        assertAnswered(TestGateway.json(gateway.post(batchOfBalances(20))), 20);
        // Consensus asks both upstreams: each got the twenty calls in one request.
        assertThat(fakes.get(0).batchSizes()).containsExactly(20);
        assertThat(fakes.get(1).batchSizes()).containsExactly(20);
        assertThat(fakes.get(0).calls("eth_getBalance")).isEqualTo(20);
    }

    @Test
    void largeBatchesGoInPartsOfAtMostFifty() {
        start(2);
        assertAnswered(TestGateway.json(gateway.post(batchOfBalances(90))), 90);
        assertThat(fakes.get(0).batchSizes()).containsExactlyInAnyOrder(50, 40);
    }

    @Test
    void anUpstreamThatRefusesBatchesGetsTheCallsOneByOneFromThenOn() {
        fakes.get(0).refuseBatches();
        start(2);
        assertAnswered(TestGateway.json(gateway.post(batchOfBalances(10))), 10);
        assertAnswered(TestGateway.json(gateway.post(batchOfBalances(10))), 10);

        assertThat(fakes.get(0).batchSizes()).as("tried once").containsExactly(10);
        assertThat(fakes.get(0).calls("eth_getBalance")).isEqualTo(30);
        assertThat(fakes.get(1).batchSizes()).containsExactly(10, 10);
    }

    @Test
    void aBatchAnEdgeRefusesFailsOverCallByCall() {
        start(3);
        fakes.get(0).mode(new FakeUpstream.Mode.Cloudflare(522));
        assertAnswered(TestGateway.json(gateway.post(batchOfBalances(12))), 12);
    }
}
