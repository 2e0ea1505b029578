package dev.outlast.drill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outlast.drill.CallFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request body split by a {@link CallFilter}: the calls answered locally and the rest, to
 * forward (as a batch when the client sent one), then put back together in request order.
 *
 * @param batch    whether the client sent a batch
 * @param calls    the calls, in request order
 * @param local    the local answer of each call, or null where it is forwarded
 * @param forward  what to forward, or null when every call was answered locally
 */
record LocalSplit(boolean batch, List<JsonNode> calls, List<JsonNode> local, JsonNode forward) {

    static LocalSplit of(JsonNode body, CallFilter filter) {
        List<JsonNode> calls = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(calls::add);
        } else {
            calls.add(body);
        }
        List<JsonNode> local = new ArrayList<>();
        ArrayNode rest = Json.MAPPER.createArrayNode();
        for (JsonNode call : calls) {
            JsonNode answer = filter.answer(call);
            local.add(answer);
            if (answer == null) {
                rest.add(call);
            }
        }
        JsonNode forward = rest.isEmpty() ? null : body.isArray() ? rest : rest.get(0);
        return new LocalSplit(body.isArray(), calls, local, forward);
    }

    boolean anyLocal() {
        return local.stream().anyMatch(a -> a != null);
    }

    /** Tells {@code filter} the upstream's answers to the forwarded calls; the answers in request order. */
    JsonNode complete(JsonNode upstream, CallFilter filter) {
        Map<String, JsonNode> byId = new HashMap<>();
        if (upstream != null && upstream.isArray()) {
            upstream.forEach(r -> byId.putIfAbsent(r.path("id").toString(), r));
        } else if (upstream != null) {
            byId.put(upstream.path("id").toString(), upstream);
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode answer = local.get(i);
            if (answer == null) {
                answer = byId.get(calls.get(i).path("id").toString());
                if (answer != null) {
                    filter.answered(calls.get(i), answer);
                }
            }
            if (answer != null) {
                out.add(answer);
            }
        }
        return batch ? out : out.isEmpty() ? null : out.get(0);
    }
}
