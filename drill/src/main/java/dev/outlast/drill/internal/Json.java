package dev.outlast.drill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;

/** The shared {@link ObjectMapper} and JSON-RPC value helpers. Thread-safe. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A JSON-RPC quantity: {@code "0x"} and lower-case hex without leading zeros. */
    public static String hex(BigInteger value) {
        return "0x" + value.toString(16);
    }

    /** Parses a JSON-RPC quantity ({@code "0x1a"}); throws {@link NumberFormatException} if it is not one. */
    public static BigInteger quantity(String hex) {
        if (!hex.startsWith("0x") || hex.length() < 3) {
            throw new NumberFormatException("not a hex quantity: " + hex);
        }
        return new BigInteger(hex.substring(2), 16);
    }

    /** A JSON-RPC success response. */
    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode o = MAPPER.createObjectNode().put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("result", result);
        return o;
    }

    /** A JSON-RPC error response. */
    public static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode o = MAPPER.createObjectNode().put("jsonrpc", "2.0");
        o.set("id", id);
        o.putObject("error").put("code", code).put("message", message);
        return o;
    }
}
