package dev.outlast.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.outlast.routing.Pinning.Pinned;
import dev.outlast.rpc.MethodCatalog;
import dev.outlast.rpc.RpcRequest;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PinningTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MethodCatalog CATALOG = new MethodCatalog(Set.of());
    private static final long HEAD = 0x100;
    private static final String ADDRESS = "\"0x00000000000000000000000000000000000000aa\"";

    @Test
    void latestBecomesTheServedHead() {
        Pinned pinned = pin("eth_getBalance", "[" + ADDRESS + ",\"latest\"]", HEAD);

        assertThat(pinned.params()).isEqualTo(json("[" + ADDRESS + ",\"0x100\"]"));
        assertThat(pinned.minHead()).isEqualTo(HEAD);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void missingBlockIsAppendedAsTheServedHead() {
        Pinned pinned = pin("eth_getBalance", "[" + ADDRESS + "]", HEAD);

        assertThat(pinned.params()).isEqualTo(json("[" + ADDRESS + ",\"0x100\"]"));
        assertThat(pinned.minHead()).isEqualTo(HEAD);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void blockAtIndexZeroIsPinned() {
        Pinned pinned = pin("eth_getBlockByNumber", "[\"latest\",false]", HEAD);

        assertThat(pinned.params()).isEqualTo(json("[\"0x100\",false]"));
    }

    @Test
    void earliestBecomesBlockZero() {
        Pinned pinned = pin("eth_getBalance", "[" + ADDRESS + ",\"earliest\"]", HEAD);

        assertThat(pinned.params().get(1).asText()).isEqualTo("0x0");
        assertThat(pinned.minHead()).isZero();
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void pendingIsPassedThroughUnpinnedButAskedOfUpstreamsAtTheHead() {
        String params = "[" + ADDRESS + ",\"pending\"]";

        Pinned pinned = pin("eth_getBalance", params, HEAD);

        assertThat(pinned.params()).isEqualTo(json(params));
        assertThat(pinned.minHead()).as("a lagging node's pending state is stale").isEqualTo(HEAD);
        assertThat(pinned.pinned()).isFalse();
    }

    @Test
    void explicitNumberAtOrBelowTheHeadRequiresThatBlock() {
        String params = "[" + ADDRESS + ",\"0xf0\"]";

        Pinned pinned = pin("eth_getBalance", params, HEAD);

        assertThat(pinned.params()).isEqualTo(json(params));
        assertThat(pinned.minHead()).isEqualTo(0xf0);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void explicitNumberAboveTheHeadRequiresNothing() {
        Pinned pinned = pin("eth_getBalance", "[" + ADDRESS + ",\"0x101\"]", HEAD);

        assertThat(pinned.minHead()).isEqualTo(-1);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void blockHashIsPinnedWithoutAMinimumHead() {
        String params = "[" + ADDRESS + ",{\"blockHash\":\"0xabc\"}]";

        Pinned pinned = pin("eth_getBalance", params, HEAD);

        assertThat(pinned.params()).isEqualTo(json(params));
        assertThat(pinned.minHead()).isEqualTo(-1);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void unknownServedHeadLeavesLatestUnchanged() {
        String params = "[" + ADDRESS + ",\"latest\"]";

        Pinned pinned = pin("eth_getBalance", params, -1);

        assertThat(pinned.params()).isEqualTo(json(params));
        assertThat(pinned.minHead()).isEqualTo(-1);
        assertThat(pinned.pinned()).isFalse();
    }

    @Test
    void logsLatestAndMissingBoundsArePinned() {
        Pinned pinned = pin("eth_getLogs", "[{\"fromBlock\":\"latest\",\"address\":" + ADDRESS + "}]", HEAD);

        assertThat(pinned.params())
                .isEqualTo(json("[{\"fromBlock\":\"0x100\",\"address\":" + ADDRESS + ",\"toBlock\":\"0x100\"}]"));
        assertThat(pinned.minHead()).isEqualTo(HEAD);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void logsWithPendingBoundAreNotPinned() {
        Pinned pinned = pin("eth_getLogs", "[{\"fromBlock\":\"0x10\",\"toBlock\":\"pending\"}]", HEAD);

        assertThat(pinned.minHead()).isEqualTo(0x10);
        assertThat(pinned.pinned()).isFalse();
    }

    @Test
    void logsByBlockHashAreLeftUnchanged() {
        String params = "[{\"blockHash\":\"0xabc\"}]";

        Pinned pinned = pin("eth_getLogs", params, HEAD);

        assertThat(pinned.params()).isEqualTo(json(params));
        assertThat(pinned.minHead()).isEqualTo(-1);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void namedParamsAreLeftUnchanged() {
        JsonNode named = json("{\"address\":" + ADDRESS + "}");
        RpcRequest request = new RpcRequest(IntNode.valueOf(1), "eth_getBalance", JSON.createArrayNode(), named);

        Pinned pinned = Pinning.pin(request, CATALOG.lookup("eth_getBalance"), HEAD);

        assertThat(pinned.params()).isSameAs(named);
        assertThat(pinned.pinned()).isFalse();
    }

    @Test
    void lookupByHashCountsAsPinned() {
        Pinned pinned = pin("eth_getTransactionReceipt", "[\"0xabc\"]", HEAD);

        assertThat(pinned.minHead()).isEqualTo(-1);
        assertThat(pinned.pinned()).isTrue();
    }

    @Test
    void neverMutatesTheClientsParams() {
        ArrayNode balance = (ArrayNode) json("[" + ADDRESS + ",\"latest\"]");
        ArrayNode logs = (ArrayNode) json("[{\"fromBlock\":\"earliest\"}]");
        ArrayNode balanceBefore = balance.deepCopy();
        ArrayNode logsBefore = logs.deepCopy();

        Pinning.pin(request("eth_getBalance", balance), CATALOG.lookup("eth_getBalance"), HEAD);
        Pinning.pin(request("eth_getLogs", logs), CATALOG.lookup("eth_getLogs"), HEAD);

        assertThat(balance).isEqualTo(balanceBefore);
        assertThat(logs).isEqualTo(logsBefore);
    }

    private static Pinned pin(String method, String params, long servedHead) {
        return Pinning.pin(request(method, (ArrayNode) json(params)), CATALOG.lookup(method), servedHead);
    }

    private static RpcRequest request(String method, ArrayNode params) {
        return new RpcRequest(IntNode.valueOf(1), method, params, null);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void getLogsReachingBeyondTheServedHeadIsNotProofOfALie() {
        Pinned pinned = pin("eth_getLogs", "[{\"fromBlock\":\"0x10\",\"toBlock\":\"0xffffff\"}]", HEAD);
        assertThat(pinned.pinned()).isFalse();
    }
}
