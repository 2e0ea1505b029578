package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.rpc.BlockParam;
import dev.outlast.rpc.MethodCatalog;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcRequest;

/**
 * Block pinning: rewrites {@code latest} (and a missing block argument) to the chain's served head,
 * so every upstream asked answers for the same block and an upstream behind it is not asked.
 *
 * <p>{@code earliest} becomes {@code 0x0}; {@code safe} and {@code finalized} become the blocks the
 * upstreams agree on for those tags (passed through when they report none); a concrete number or
 * an EIP-1898 block hash is kept and counts as pinned; {@code pending} is passed through unpinned. For {@code eth_getLogs}, {@code fromBlock}/{@code toBlock} tags are pinned the same way
 * so a lagging upstream cannot silently return logs only up to its own head.
 */
final class Pinning {

    /**
     * The request as it is sent upstream.
     *
     * @param params  params with the block pinned
     * @param minHead upstreams must have at least this block (-1: any)
     * @param pinned  true when the request names one concrete block, so honest answers are equal
     * @param latest  true when the block was {@code latest} (or left out) and is now the served head:
     *                a stale served head cannot answer it
     */
    record Pinned(JsonNode params, long minHead, boolean pinned, boolean latest) {

        Pinned(JsonNode params, long minHead, boolean pinned) {
            this(params, minHead, pinned, false);
        }
    }

    /** The chain's agreed blocks for each tag; -1 where unknown. */
    record Heads(long latest, long safe, long finalized) {
    }

    private Pinning() {
    }

    static Pinned pin(RpcRequest request, MethodCatalog.Method method, long servedHead) {
        return pin(request, method, new Heads(servedHead, -1, -1));
    }

    static Pinned pin(RpcRequest request, MethodCatalog.Method method, Heads heads) {
        long servedHead = heads.latest();
        if (request.namedParams() != null) {
            return new Pinned(request.namedParams(), -1, false);
        }
        if ("eth_getLogs".equals(method.name())) {
            return pinLogs(request.params(), servedHead);
        }
        if (!method.takesBlock()) {
            return new Pinned(request.params(), -1, isByHash(method.name()));
        }
        int index = method.blockParam();
        ArrayNode params = request.params();
        if (index > params.size()) {
            return new Pinned(params, -1, false);
        }
        BlockParam block = BlockParam.of(index < params.size() ? params.get(index) : null);
        return switch (block) {
            case BlockParam.Missing m -> servedHead < 0 ? new Pinned(params, -1, false)
                    : new Pinned(withBlock(params, index, servedHead), servedHead, true, true);
            case BlockParam.Tag t when t.name().equals("latest") -> servedHead < 0 ? new Pinned(params, -1, false)
                    : new Pinned(withBlock(params, index, servedHead), servedHead, true, true);
            case BlockParam.Tag t when t.name().equals("earliest") -> new Pinned(withBlock(params, index, 0), 0, true);
            case BlockParam.Tag t when t.name().equals("safe") && heads.safe() >= 0 ->
                    new Pinned(withBlock(params, index, heads.safe()), heads.safe(), true);
            case BlockParam.Tag t when t.name().equals("finalized") && heads.finalized() >= 0 ->
                    new Pinned(withBlock(params, index, heads.finalized()), heads.finalized(), true);
            // Pending state is kept unpinned, but only an upstream at the served head has the
            // pending state clients expect: a lagging node's pending nonce is a stale one.
            case BlockParam.Tag t when t.name().equals("pending") -> new Pinned(params, servedHead, false);
            case BlockParam.Tag t -> new Pinned(params, -1, false);
            case BlockParam.Number n -> new Pinned(params, n.value() <= servedHead ? n.value() : -1, true);
            case BlockParam.Hash h -> new Pinned(params, -1, true);
            case BlockParam.Other o -> new Pinned(params, -1, false);
        };
    }

    private static boolean isByHash(String method) {
        return method.endsWith("ByHash") || method.equals("eth_getTransactionReceipt")
                || method.endsWith("ByBlockHashAndIndex");
    }

    private static ArrayNode withBlock(ArrayNode params, int index, long block) {
        ArrayNode copy = params.deepCopy();
        TextNode value = TextNode.valueOf(Quantity.format(block));
        if (index < copy.size()) {
            copy.set(index, value);
        } else {
            copy.add(value);
        }
        return copy;
    }

    private static Pinned pinLogs(ArrayNode params, long servedHead) {
        if (params.size() != 1 || !params.get(0).isObject() || params.get(0).has("blockHash") || servedHead < 0) {
            return new Pinned(params, -1, params.size() == 1 && params.get(0).has("blockHash"));
        }
        ObjectNode filter = ((ObjectNode) params.get(0)).deepCopy();
        long minHead = -1;
        boolean pinned = true;
        boolean latest = false;
        for (String field : new String[] {"fromBlock", "toBlock"}) {
            BlockParam block = BlockParam.of(filter.get(field));
            switch (block) {
                case BlockParam.Missing m -> {
                    filter.put(field, Quantity.format(servedHead));
                    minHead = Math.max(minHead, servedHead);
                    latest = true;
                }
                case BlockParam.Tag t when t.name().equals("latest") -> {
                    filter.put(field, Quantity.format(servedHead));
                    minHead = Math.max(minHead, servedHead);
                    latest = true;
                }
                case BlockParam.Tag t when t.name().equals("earliest") -> filter.put(field, "0x0");
                case BlockParam.Number n -> {
                    if (n.value() <= servedHead) {
                        minHead = Math.max(minHead, n.value());
                    } else {
                        // Beyond the served head, honest upstreams may return different partial
                        // ranges: a difference is not proof of a lie.
                        pinned = false;
                    }
                }
                default -> pinned = false;
            }
        }
        ArrayNode copy = params.arrayNode();
        copy.add(filter);
        return new Pinned(copy, minHead, pinned, latest);
    }
}
