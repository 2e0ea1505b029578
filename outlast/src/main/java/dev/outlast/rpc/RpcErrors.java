package dev.outlast.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the {@code error} objects of Outlast's own errors: {@code code}, {@code message} and a
 * {@code data} object whose {@code reason} is the stable word of {@link OutlastError}.
 */
public final class RpcErrors {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RpcErrors() {
    }

    /** An error with the default message and {@code data.reason} only. */
    public static ObjectNode of(OutlastError error) {
        return of(error, error.message());
    }

    /** An error with a specific message; add detail to the returned {@code data} object. */
    public static ObjectNode of(OutlastError error, String message) {
        ObjectNode node = NODES.objectNode();
        node.put("code", error.code());
        node.put("message", message);
        node.putObject("data").put("reason", error.reason());
        return node;
    }

    /** The {@code data} object of an error built by {@link #of}. */
    public static ObjectNode data(ObjectNode error) {
        return (ObjectNode) error.get("data");
    }
}
