package dev.outlast.drill.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.outlast.drill.Fault;
import dev.outlast.drill.FaultJson;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The proxy's own HTTP API under {@code /_drill/}: {@code GET}, {@code PUT} and {@code DELETE} of
 * {@code /_drill/faults}, in the JSON of {@link FaultJson}; {@code GET} and {@code PUT} of
 * {@code /_drill/sockets} ({@code {"stalled": true, "delayMs": 500}}: the relayed WebSockets'
 * faults, each key optional in a {@code PUT}), and {@code POST /_drill/sockets/close}, which closes
 * every relayed WebSocket. Thread-safe if its functions are.
 */
public final class ControlApi {

    /** The path prefix the proxy keeps for itself. */
    public static final String PREFIX = "/_drill/";

    private static final String JSON = "application/json";

    private final Supplier<List<Fault>> get;
    private final Consumer<List<Fault>> set;
    private final SocketTunnels sockets;

    public ControlApi(Supplier<List<Fault>> get, Consumer<List<Fault>> set, SocketTunnels sockets) {
        this.get = get;
        this.set = set;
        this.sockets = sockets;
    }

    /** Whether {@code path} is the control API's rather than the upstream's. */
    public static boolean owns(String path) {
        return path.startsWith(PREFIX) || path.equals("/_drill");
    }

    /** Answers one control request. */
    public WireResponse handle(WireRequest request) {
        if (request.path().startsWith(PREFIX + "sockets")) {
            return sockets(request);
        }
        if (!request.path().equals(PREFIX + "faults")) {
            return WireResponse.of(404, JSON, "{\"error\":\"not found: " + request.path()
                    + " (expected: /_drill/faults, /_drill/sockets or /_drill/sockets/close)\"}");
        }
        return switch (request.method()) {
            case "GET" -> faults();
            case "PUT" -> put(request.body());
            case "DELETE" -> {
                set.accept(List.of());
                yield new WireResponse(204, List.of(), new byte[0]);
            }
            default -> WireResponse.of(405, JSON, "{\"error\":\"method: " + request.method()
                    + " (expected: GET, PUT or DELETE)\"}").withHeader("allow", "GET, PUT, DELETE");
        };
    }

    private WireResponse put(byte[] body) {
        List<Fault> faults;
        try {
            faults = FaultJson.fromJson(Json.MAPPER.readTree(body));
        } catch (JsonProcessingException e) {
            return badRequest("body: not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException | IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        set.accept(faults);
        return faults();
    }

    private WireResponse sockets(WireRequest request) {
        if (request.path().equals(PREFIX + "sockets/close")) {
            if (!request.method().equals("POST")) {
                return WireResponse.of(405, JSON, "{\"error\":\"method: " + request.method()
                        + " (expected: POST)\"}").withHeader("allow", "POST");
            }
            int closed = sockets.openCount();
            sockets.closeAll();
            return WireResponse.of(200, JSON, "{\"closed\":" + closed + "}");
        }
        if (!request.path().equals(PREFIX + "sockets")) {
            return WireResponse.of(404, JSON, "{\"error\":\"not found: " + request.path()
                    + " (expected: /_drill/sockets or /_drill/sockets/close)\"}");
        }
        return switch (request.method()) {
            case "GET" -> socketState();
            case "PUT" -> putSockets(request.body());
            default -> WireResponse.of(405, JSON, "{\"error\":\"method: " + request.method()
                    + " (expected: GET or PUT)\"}").withHeader("allow", "GET, PUT");
        };
    }

    private WireResponse putSockets(byte[] body) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return badRequest("body: not JSON");
        }
        if (tree == null || !tree.isObject()) {
            return badRequest("body: expected an object such as {\"stalled\": true, \"delayMs\": 500}");
        }
        for (java.util.Iterator<String> keys = tree.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("stalled") && !key.equals("delayMs")) {
                return badRequest(key + ": unknown key (expected one of: stalled, delayMs)");
            }
        }
        com.fasterxml.jackson.databind.JsonNode stalled = tree.get("stalled");
        com.fasterxml.jackson.databind.JsonNode delay = tree.get("delayMs");
        if (stalled != null && !stalled.isBoolean()) {
            return badRequest("stalled: " + stalled + " (expected: true or false)");
        }
        if (delay != null && (!delay.canConvertToLong() || !delay.isIntegralNumber() || delay.asLong() < 0)) {
            return badRequest("delayMs: " + delay + " (expected: a non-negative integer)");
        }
        if (stalled != null) {
            sockets.stall(stalled.asBoolean());
        }
        if (delay != null) {
            sockets.delay(java.time.Duration.ofMillis(delay.asLong()));
        }
        return socketState();
    }

    private WireResponse socketState() {
        return WireResponse.of(200, JSON, Json.MAPPER.createObjectNode().put("open", sockets.openCount())
                .put("stalled", sockets.isStalled()).put("delayMs", sockets.delayMillis()).toString());
    }

    private WireResponse faults() {
        return WireResponse.of(200, JSON, FaultJson.toJson(get.get()).toString());
    }

    private static WireResponse badRequest(String message) {
        return WireResponse.of(400, JSON, Json.MAPPER.createObjectNode().put("error", message).toString());
    }
}
