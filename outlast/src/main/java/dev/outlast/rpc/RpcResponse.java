package dev.outlast.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to one request: a {@code result} or an {@code error} object, exactly one non-null.
 * The error may be an upstream's (passed through as it came) or Outlast's own
 * ({@link RpcErrors#of}).
 */
public record RpcResponse(JsonNode result, JsonNode error) {

    public static RpcResponse result(JsonNode result) {
        return new RpcResponse(result, null);
    }

    public static RpcResponse error(JsonNode error) {
        return new RpcResponse(null, error);
    }

    public boolean isError() {
        return error != null;
    }
}
