package dev.outlast.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/**
 * One valid JSON-RPC 2.0 request.
 *
 * @param id     the client's id, returned as it came; {@code null} for a notification
 * @param method the method name
 * @param params positional params; never null (an absent {@code params} is an empty array).
 *               Named params (an object) are kept in {@link #namedParams}
 * @param namedParams params given as an object, or {@code null}
 *
 * <p>Immutable by contract: callers never mutate the nodes.
 */
public record RpcRequest(JsonNode id, String method, ArrayNode params, JsonNode namedParams) {

    public RpcRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
    }

    /** A notification expects no response. */
    public boolean isNotification() {
        return id == null;
    }

    /** The same request with other positional params. */
    public RpcRequest withParams(ArrayNode newParams) {
        return new RpcRequest(id, method, newParams, namedParams);
    }

    /** The params as they are sent upstream: the object when named, else the array. */
    public JsonNode paramsNode() {
        return namedParams != null ? namedParams : params;
    }
}
