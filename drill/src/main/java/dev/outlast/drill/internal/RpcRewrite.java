package dev.outlast.drill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON-RPC rewrites of the lie, lag and wrong-chain faults, element by element so that batches
 * are handled like single calls.
 *
 * <p>Implementation note: a request is split in two. Elements the faulty node would answer itself
 * ({@code eth_chainId} of a wrong chain, {@code eth_blockNumber} and blocks above the head of a
 * lagging node) get a local answer; the others are rewritten (block tags) and forwarded together, as
 * one batch if the client sent a batch. The upstream's answers are matched back by {@code id},
 * post-processed (lies; lagging nodes do not know transactions in blocks above their head) and put
 * back in request order. If the upstream's body is not JSON-RPC, the caller passes it through as it is.
 *
 * @param lieMethods methods whose result becomes {@code "0x0"} ({@code eth_getProof}: the proof's
 *                   balance and nonce become {@code "0x0"}, the proof nodes stay real), or null
 * @param frozenHead the head of a lagging node, or null
 * @param chainId    the chain id a wrong-chain node reports, or null
 */
public record RpcRewrite(Set<String> lieMethods, BigInteger frozenHead, Long chainId) {

    /** The split of one request body. {@code forward} is null when nothing needs the upstream. */
    public record Plan(boolean batch, List<JsonNode> requests, List<JsonNode> local, JsonNode forward) {
    }

    /** Whether this rewrite changes anything at all. */
    public boolean isEmpty() {
        return lieMethods == null && frozenHead == null && chainId == null;
    }

    /** Splits {@code body} (a JSON-RPC request or batch) into local answers and what to forward. */
    public Plan plan(JsonNode body) {
        boolean batch = body.isArray();
        List<JsonNode> requests = new ArrayList<>();
        if (batch) {
            body.forEach(requests::add);
        } else {
            requests.add(body);
        }
        List<JsonNode> local = new ArrayList<>();
        ArrayNode forward = Json.MAPPER.createArrayNode();
        List<JsonNode> rewritten = new ArrayList<>();
        for (JsonNode request : requests) {
            JsonNode copy = request.deepCopy();
            JsonNode answer = localAnswer(copy);
            local.add(answer);
            if (answer == null) {
                forward.add(copy);
            }
            rewritten.add(copy);
        }
        JsonNode toForward = forward.isEmpty() ? null : batch ? forward : forward.get(0);
        return new Plan(batch, rewritten, local, toForward);
    }

    /** Completes {@code plan} with the upstream's parsed answer (null if nothing was forwarded). */
    public JsonNode complete(Plan plan, JsonNode upstream) {
        Map<String, JsonNode> byId = new HashMap<>();
        if (upstream != null) {
            if (upstream.isArray()) {
                upstream.forEach(r -> byId.putIfAbsent(r.path("id").toString(), r));
            } else {
                byId.put(upstream.path("id").toString(), upstream);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < plan.requests().size(); i++) {
            JsonNode request = plan.requests().get(i);
            JsonNode answer = plan.local().get(i);
            if (answer == null) {
                answer = byId.get(request.path("id").toString());
                if (answer == null && !plan.batch()) {
                    answer = upstream;
                }
                if (answer instanceof ObjectNode o && o.has("result")) {
                    postProcess(request.path("method").asText(), o);
                }
            }
            if (answer != null) {
                out.add(answer);
            }
        }
        return plan.batch() ? out : out.isEmpty() ? NullNode.getInstance() : out.get(0);
    }

    private JsonNode localAnswer(JsonNode request) {
        if (!(request instanceof ObjectNode o) || !o.path("method").isTextual()) {
            return null;
        }
        String method = o.get("method").asText();
        JsonNode id = o.path("id").isMissingNode() ? NullNode.getInstance() : o.get("id");
        if (chainId != null && method.equals("eth_chainId")) {
            return Json.result(id, TextNode.valueOf(Json.hex(BigInteger.valueOf(chainId))));
        }
        if (chainId != null && method.equals("net_version")) {
            return Json.result(id, TextNode.valueOf(Long.toString(chainId)));
        }
        if (frozenHead == null) {
            return null;
        }
        if (method.equals("eth_blockNumber")) {
            return Json.result(id, TextNode.valueOf(Json.hex(frozenHead)));
        }
        if (!o.has("params")) {
            o.putArray("params");
        }
        if (o.get("params") instanceof ArrayNode params) {
            try {
                BlockParams.rewrite(method, params, frozenHead);
            } catch (BlockParams.AboveHeadException e) {
                return Json.error(id, -32000, "header not found");
            }
        }
        return null;
    }

    private void postProcess(String method, ObjectNode response) {
        if (lieMethods != null && lieMethods.contains(method)) {
            if (method.equals("eth_getProof") && response.get("result") instanceof ObjectNode proof) {
                proof.put("balance", "0x0").put("nonce", "0x0");
            } else {
                response.put("result", "0x0");
            }
        }
        if (frozenHead != null) {
            String field = switch (method) {
                case "eth_getTransactionReceipt", "eth_getTransactionByHash" -> "blockNumber";
                case "eth_getBlockByHash" -> "number";
                default -> null;
            };
            JsonNode number = field == null ? null : response.get("result").get(field);
            if (number != null && number.isTextual() && isAbove(number.asText())) {
                response.set("result", NullNode.getInstance());
            }
        }
    }

    private boolean isAbove(String hex) {
        try {
            return Json.quantity(hex).compareTo(frozenHead) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
