package dev.outlast.rpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a request body into JSON-RPC 2.0 requests, enforcing the nesting-depth and batch-length
 * limits. Body size is enforced by the HTTP layer before parsing.
 *
 * <p>Malformed JSON gives one {@code -32700}; an empty batch or a non-object, non-array body gives
 * one {@code -32600}; an invalid element of a batch gives a {@code -32600} for that element only,
 * and the others are served.
 *
 * <p>Thread-safe (immutable after construction).
 */
public final class RequestParser {

    private final ObjectMapper mapper;
    private final int maxBatchSize;
    private final int maxDepth;

    public RequestParser(int maxDepth, int maxBatchSize) {
        this.maxDepth = maxDepth;
        this.maxBatchSize = maxBatchSize;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /** The result of parsing a body: a single request, a batch, or one error for the whole body. */
    public sealed interface Parsed {
    }

    /** A body holding one request object (valid or not). */
    public record Single(Entry entry) implements Parsed {
    }

    /** A body holding a batch: one entry per element, in order. */
    public record Batch(List<Entry> entries) implements Parsed {
        public Batch {
            entries = List.copyOf(entries);
        }
    }

    /** A body that is wrong as a whole; the error is answered with {@code id: null}. */
    public record Rejected(ObjectNode error) implements Parsed {
    }

    /**
     * One element: a valid {@link #request}, or the {@link #error} to answer it with (and the id,
     * if one could be read).
     */
    public record Entry(RpcRequest request, JsonNode id, ObjectNode error) {

        static Entry valid(RpcRequest request) {
            return new Entry(request, request.id(), null);
        }

        static Entry invalid(JsonNode id, ObjectNode error) {
            return new Entry(null, id, error);
        }

        public boolean isValid() {
            return request != null;
        }
    }

    public Parsed parse(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            return new Rejected(RpcErrors.of(OutlastError.TOO_DEEP,
                    "Request nested deeper than " + maxDepth + " levels"));
        } catch (IOException e) {
            return new Rejected(RpcErrors.of(OutlastError.PARSE_ERROR, "Parse error: malformed JSON"));
        }
        if (root == null || root.isMissingNode()) {
            return new Rejected(RpcErrors.of(OutlastError.PARSE_ERROR, "Parse error: empty body"));
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                return new Rejected(RpcErrors.of(OutlastError.INVALID_REQUEST, "Invalid request: empty batch"));
            }
            if (root.size() > maxBatchSize) {
                ObjectNode error = RpcErrors.of(OutlastError.BATCH_TOO_LARGE,
                        "Batch of " + root.size() + " requests exceeds the limit of " + maxBatchSize);
                RpcErrors.data(error).put("limit", maxBatchSize);
                return new Rejected(error);
            }
            List<Entry> entries = new ArrayList<>(root.size());
            for (JsonNode element : root) {
                entries.add(entry(element));
            }
            return new Batch(entries);
        }
        if (root.isObject()) {
            return new Single(entry(root));
        }
        return new Rejected(RpcErrors.of(OutlastError.INVALID_REQUEST,
                "Invalid request: expected an object or an array"));
    }

    private static Entry entry(JsonNode node) {
        if (!node.isObject()) {
            return Entry.invalid(null, invalid("expected a request object"));
        }
        JsonNode idNode = node.get("id");
        JsonNode id = idNode;
        if (idNode != null && !(idNode.isTextual() || idNode.isNumber() || idNode.isNull())) {
            return Entry.invalid(null, invalid("id must be a string, a number or null"));
        }
        JsonNode version = node.get("jsonrpc");
        if (version == null || !version.isTextual() || !"2.0".equals(version.textValue())) {
            return Entry.invalid(id, invalid("jsonrpc must be \"2.0\""));
        }
        JsonNode method = node.get("method");
        if (method == null || !method.isTextual() || method.textValue().isEmpty()) {
            return Entry.invalid(id, invalid("method must be a non-empty string"));
        }
        JsonNode params = node.get("params");
        ArrayNode positional;
        JsonNode named = null;
        if (params == null || params.isNull()) {
            positional = JsonNodeFactory.instance.arrayNode();
        } else if (params.isArray()) {
            positional = (ArrayNode) params;
        } else if (params.isObject()) {
            positional = JsonNodeFactory.instance.arrayNode();
            named = params;
        } else {
            return Entry.invalid(id, invalid("params must be an array or an object"));
        }
        return Entry.valid(new RpcRequest(id, method.textValue(), positional, named));
    }

    private static ObjectNode invalid(String why) {
        return RpcErrors.of(OutlastError.INVALID_REQUEST, "Invalid request: " + why);
    }
}
