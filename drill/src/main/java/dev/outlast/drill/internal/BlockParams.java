package dev.outlast.drill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;

/**
 * Where JSON-RPC methods take a block parameter, and how a lagging node sees it: {@code latest},
 * {@code pending} or a missing (optional) tag become the frozen head; a number above the frozen head
 * is unknown to the node. {@code earliest}, {@code safe}, {@code finalized} and block hashes are left
 * alone. Stateless.
 */
final class BlockParams {

    /** Thrown when a request names a block above the frozen head. */
    static final class AboveHeadException extends Exception {
        AboveHeadException() {
            super("header not found", null, false, false);
        }
    }

    private static final Map<String, Integer> INDEX = Map.ofEntries(
            Map.entry("eth_getBalance", 1), Map.entry("eth_getTransactionCount", 1),
            Map.entry("eth_getCode", 1), Map.entry("eth_getStorageAt", 2), Map.entry("eth_call", 1),
            Map.entry("eth_estimateGas", 1), Map.entry("eth_createAccessList", 1),
            Map.entry("eth_getProof", 2), Map.entry("eth_getBlockByNumber", 0),
            Map.entry("eth_getBlockTransactionCountByNumber", 0),
            Map.entry("eth_getTransactionByBlockNumberAndIndex", 0), Map.entry("eth_getBlockReceipts", 0),
            Map.entry("eth_getUncleCountByBlockNumber", 0), Map.entry("eth_getUncleByBlockNumberAndIndex", 0),
            Map.entry("eth_feeHistory", 1));

    /** Methods whose block tag may be left out, meaning {@code latest}. */
    private static final Set<String> OPTIONAL = Set.of("eth_getBalance", "eth_getTransactionCount",
            "eth_getCode", "eth_getStorageAt", "eth_call", "eth_estimateGas", "eth_createAccessList",
            "eth_getProof");

    private BlockParams() {
    }

    /** Rewrites the block parameter of {@code params} in place for a node whose head is {@code frozen}. */
    static void rewrite(String method, ArrayNode params, BigInteger frozen) throws AboveHeadException {
        if ("eth_getLogs".equals(method)) {
            if (params.size() > 0 && params.get(0) instanceof ObjectNode filter && !filter.has("blockHash")) {
                filter.set("fromBlock", resolve(filter.path("fromBlock"), frozen));
                filter.set("toBlock", resolve(filter.path("toBlock"), frozen));
            }
            return;
        }
        Integer index = INDEX.get(method);
        if (index == null) {
            return;
        }
        if (params.size() == index && OPTIONAL.contains(method)) {
            params.add(Json.hex(frozen));
        } else if (params.size() > index) {
            params.set(index, resolve(params.get(index), frozen));
        }
    }

    private static JsonNode resolve(JsonNode tag, BigInteger frozen) throws AboveHeadException {
        if (tag.isMissingNode() || tag.isNull()) {
            return TextNode.valueOf(Json.hex(frozen));
        }
        if (tag instanceof ObjectNode o && o.has("blockNumber")) {
            o.set("blockNumber", resolve(o.get("blockNumber"), frozen));
            return o;
        }
        if (!tag.isTextual()) {
            return tag;
        }
        String text = tag.asText();
        if (text.equals("latest") || text.equals("pending")) {
            return TextNode.valueOf(Json.hex(frozen));
        }
        if (text.startsWith("0x") && text.length() <= 18) {
            try {
                if (Json.quantity(text).compareTo(frozen) > 0) {
                    throw new AboveHeadException();
                }
            } catch (NumberFormatException e) {
                return tag;
            }
        }
        return tag;
    }
}
