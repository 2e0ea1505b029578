package dev.outlast.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.routing.Chain;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcRequest;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A {@link dev.outlast.subscription.FeedSource} over a chain: blocks and logs read as a client's requests are. */
final class ChainFeedSource implements dev.outlast.subscription.FeedSource {

    private static final TextNode ID = TextNode.valueOf("block-feed");

    private final Chain chain;

    ChainFeedSource(Chain chain) {
        this.chain = chain;
    }

    @Override
    public long servedHead() {
        return chain.servedHead();
    }

    @Override
    public CompletableFuture<JsonNode> block(long number) {
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(Quantity.format(number)).add(false);
        return read("eth_getBlockByNumber", params);
    }

    @Override
    public CompletableFuture<JsonNode> logs(String blockHash, Set<String> addresses) {
        ArrayNode params = JsonNodeFactory.instance.arrayNode();
        ObjectNode filter = params.addObject().put("blockHash", blockHash);
        if (addresses != null) {
            ArrayNode list = filter.putArray("address");
            addresses.stream().sorted().forEach(list::add);
        }
        return read("eth_getLogs", params);
    }

    @Override
    public String canonicalHash(long number) {
        return chain.servedHash(number);
    }

    private CompletableFuture<JsonNode> read(String method, ArrayNode params) {
        return chain.execute(new RpcRequest(ID, method, params, null)).thenApply(outcome ->
                outcome.response().isError() || outcome.response().result() == null
                        || outcome.response().result().isNull() ? null : outcome.response().result());
    }
}
