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
 * {@code /_drill/faults}, in the JSON of {@link FaultJson}. Thread-safe if its functions are.
 */
public final class ControlApi {

    /** The path prefix the proxy keeps for itself. */
    public static final String PREFIX = "/_drill/";

    private static final String JSON = "application/json";

    private final Supplier<List<Fault>> get;
    private final Consumer<List<Fault>> set;

    public ControlApi(Supplier<List<Fault>> get, Consumer<List<Fault>> set) {
        this.get = get;
        this.set = set;
    }

    /** Whether {@code path} is the control API's rather than the upstream's. */
    public static boolean owns(String path) {
        return path.startsWith(PREFIX) || path.equals("/_drill");
    }

    /** Answers one control request. */
    public WireResponse handle(WireRequest request) {
        if (!request.path().equals(PREFIX + "faults")) {
            return WireResponse.of(404, JSON, "{\"error\":\"not found: " + request.path()
                    + " (expected: /_drill/faults)\"}");
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

    private WireResponse faults() {
        return WireResponse.of(200, JSON, FaultJson.toJson(get.get()).toString());
    }

    private static WireResponse badRequest(String message) {
        return WireResponse.of(400, JSON, Json.MAPPER.createObjectNode().put("error", message).toString());
    }
}
