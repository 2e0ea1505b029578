package dev.outlast.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outlast.testing.JsonRpcClient;
import dev.outlast.testing.ProxiedChain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A proxy serializing its forwards answers the calls its {@link CallFilter} knows, and forwards the rest. */
class FaultProxyCallFilterTest {

    @RegisterExtension
    final ProxiedChain env = new ProxiedChain();

    /** Answers eth_chainId itself with 0x1; learns the upstream's answers to everything else. */
    private final class ChainIdFilter implements CallFilter {
        final List<String> learnt = new CopyOnWriteArrayList<>();

        @Override
        public JsonNode answer(JsonNode call) {
            return call.path("method").asText().equals("eth_chainId")
                    ? JsonRpcClient.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("result", "0x1")
                            .set("id", call.get("id"))
                    : null;
        }

        @Override
        public void answered(JsonNode call, JsonNode answer) {
            learnt.add(call.path("method").asText() + "=" + answer.path("result").asText());
        }
    }

    @Test
    void aBatchGetsLocalAndForwardedAnswersInRequestOrder() {
        ChainIdFilter filter = new ChainIdFilter();
        List<JsonNode> observed = new CopyOnWriteArrayList<>();
        env.proxy().serializeForwarding(new ReentrantLock(), body -> true, filter).onRequest(observed::add);
        ArrayNode batch = JsonRpcClient.MAPPER.createArrayNode()
                .add(JsonRpcClient.request("eth_blockNumber"))
                .add(JsonRpcClient.request("eth_chainId"))
                .add(JsonRpcClient.request("net_version"));

        JsonNode answers = env.viaProxy().exchange(batch);

        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).path("id").asLong()).isEqualTo(batch.get(0).path("id").asLong());
        assertThat(answers.get(0).path("result").asText()).isEqualTo("0x0");
        assertThat(answers.get(1).path("result").asText()).as("answered by the filter").isEqualTo("0x1");
        assertThat(answers.get(2).path("result").asText()).isEqualTo("1337");
        assertThat(filter.learnt).containsExactly("eth_blockNumber=0x0", "net_version=1337");
        assertThat(observed).as("observers see only what was forwarded").hasSize(1);
        assertThat(observed.get(0)).hasSize(2);
    }

    @Test
    void aCallTheFilterAnswersAloneIsNotForwarded() {
        env.proxy().serializeForwarding(new ReentrantLock(), body -> true, new ChainIdFilter());

        assertThat(env.viaProxy().call("eth_chainId").asText()).isEqualTo("0x1");
        assertThat(env.direct().call("eth_chainId").asText()).isEqualTo("0x539");
    }
}
