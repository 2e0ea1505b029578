package dev.outlast.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a fault list, as served by the {@link FaultProxy} control API. Each fault is an
 * object with a {@code type} and optional {@code p} (default 1):
 *
 * <pre>
 * {"type":"cloudflare","status":522}
 * {"type":"cloudfront","status":502}             also aws_elb (502, 503, 504), fastly, akamai (500, 502..504)
 * {"type":"latency_distribution","p50Ms":100,"p99Ms":2000}   log-normal
 * {"type":"http","status":503,"headers":{"server":"awselb/2.0"},"body":"..."}
 * {"type":"rate_limit","retryAfterSeconds":5}
 * {"type":"error_rate","status":503,"p":0.2}
 * {"type":"latency","delayMs":200,"jitterMs":50}
 * {"type":"reset"}
 * {"type":"black_hole"}
 * {"type":"bad_body","kind":"not_json"}          kind: not_json | truncated
 * {"type":"lie","methods":["eth_getBalance"]}    methods default: eth_getBalance, eth_getTransactionCount
 * {"type":"lag","blocks":5}
 * {"type":"wrong_chain","chainId":1}
 * </pre>
 *
 * <p>Stateless and thread-safe. Parsing fails with {@link IllegalArgumentException} naming the
 * offending element, e.g. {@code "[1].status: 418 (expected: one of 500, 502, 520..526, 530)"}.
 */
public final class FaultJson {

    /** Every fault {@code type}, in the order the docs list them. */
    public static final String TYPES = "cloudflare, cloudfront, aws_elb, fastly, akamai, http, rate_limit, "
            + "error_rate, latency, latency_distribution, reset, black_hole, bad_body, lie, lag, wrong_chain";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FaultJson() {
    }

    /** The JSON array for {@code faults}. */
    public static ArrayNode toJson(List<Fault> faults) {
        ArrayNode array = NODES.arrayNode();
        faults.forEach(f -> array.add(toJson(f)));
        return array;
    }

    /** The JSON object for one fault. */
    public static ObjectNode toJson(Fault fault) {
        ObjectNode o = NODES.objectNode();
        switch (fault) {
            case Fault.CloudflarePage f -> o.put("type", "cloudflare").put("status", f.status());
            case Fault.EdgePage f -> o.put("type", f.edge().type()).put("status", f.status());
            case Fault.LatencyDistribution f -> o.put("type", "latency_distribution")
                    .put("p50Ms", f.p50().toMillis()).put("p99Ms", f.p99().toMillis());
            case Fault.HttpError f -> {
                o.put("type", "http").put("status", f.status());
                ObjectNode headers = o.putObject("headers");
                f.headers().forEach(headers::put);
                o.put("body", f.body());
            }
            case Fault.RateLimited f -> o.put("type", "rate_limit").put("retryAfterSeconds", f.retryAfterSeconds());
            case Fault.ErrorRate f -> o.put("type", "error_rate").put("status", f.status());
            case Fault.Latency f -> o.put("type", "latency").put("delayMs", f.delay().toMillis())
                    .put("jitterMs", f.jitter().toMillis());
            case Fault.Reset f -> o.put("type", "reset");
            case Fault.BlackHole f -> o.put("type", "black_hole");
            case Fault.BadBody f -> o.put("type", "bad_body").put("kind", f.kind().name().toLowerCase(Locale.ROOT));
            case Fault.Lie f -> {
                o.put("type", "lie");
                ArrayNode methods = o.putArray("methods");
                f.methods().stream().sorted().forEach(methods::add);
            }
            case Fault.Lag f -> o.put("type", "lag").put("blocks", f.blocks());
            case Fault.WrongChain f -> o.put("type", "wrong_chain").put("chainId", f.chainId());
        }
        o.put("p", fault.p());
        return o;
    }

    /** Parses an array of faults, or a single fault object as a list of one. */
    public static List<Fault> fromJson(JsonNode json) {
        if (json.isObject()) {
            return List.of(parse(json, ""));
        }
        if (!json.isArray()) {
            throw new IllegalArgumentException("faults: " + json.getNodeType()
                    + " (expected: an array of fault objects)");
        }
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            faults.add(parse(json.get(i), "[" + i + "]."));
        }
        return List.copyOf(faults);
    }

    private static Fault parse(JsonNode o, String path) {
        if (!o.isObject()) {
            throw new IllegalArgumentException(path + "fault: " + o + " (expected: an object)");
        }
        try {
            double p = o.path("p").asDouble(1);
            String type = required(o, "type").asText();
            return switch (type) {
                case "cloudflare" -> new Fault.CloudflarePage(required(o, "status").asInt(), p);
                case "cloudfront" -> new Fault.EdgePage(Fault.EdgePage.Edge.CLOUDFRONT, status(o, 502), p);
                case "aws_elb" -> new Fault.EdgePage(Fault.EdgePage.Edge.AWS_ELB, status(o, 502), p);
                case "fastly" -> new Fault.EdgePage(Fault.EdgePage.Edge.FASTLY, status(o, 503), p);
                case "akamai" -> new Fault.EdgePage(Fault.EdgePage.Edge.AKAMAI, status(o, 503), p);
                case "latency_distribution" -> new Fault.LatencyDistribution(
                        Duration.ofMillis(required(o, "p50Ms").asLong()),
                        Duration.ofMillis(required(o, "p99Ms").asLong()), p);
                case "http" -> new Fault.HttpError(required(o, "status").asInt(), headers(o.path("headers")),
                        o.path("body").asText(""), p);
                case "rate_limit" -> new Fault.RateLimited(o.path("retryAfterSeconds").asInt(1), p);
                case "error_rate" -> new Fault.ErrorRate(o.path("status").asInt(503), p);
                case "latency" -> new Fault.Latency(Duration.ofMillis(required(o, "delayMs").asLong()),
                        Duration.ofMillis(o.path("jitterMs").asLong(0)), p);
                case "reset" -> new Fault.Reset(p);
                case "black_hole" -> new Fault.BlackHole(p);
                case "bad_body" -> new Fault.BadBody(kind(o.path("kind").asText("not_json")), p);
                case "lie" -> new Fault.Lie(o.has("methods") ? methods(o.get("methods"))
                        : Fault.DEFAULT_LIE_METHODS, p);
                case "lag" -> new Fault.Lag(required(o, "blocks").asInt(), p);
                case "wrong_chain" -> new Fault.WrongChain(required(o, "chainId").asLong(), p);
                default -> throw new IllegalArgumentException("type: \"" + type + "\" (expected: " + TYPES + ")");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(field + ": missing (expected: a value)");
        }
        return v;
    }

    private static int status(JsonNode o, int fallback) {
        return o.path("status").asInt(fallback);
    }

    private static Map<String, String> headers(JsonNode o) {
        Map<String, String> headers = new LinkedHashMap<>();
        o.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        return headers;
    }

    private static Set<String> methods(JsonNode a) {
        Set<String> methods = new LinkedHashSet<>();
        a.forEach(m -> methods.add(m.asText()));
        return methods;
    }

    private static Fault.BadBody.Kind kind(String kind) {
        return switch (kind) {
            case "not_json" -> Fault.BadBody.Kind.NOT_JSON;
            case "truncated" -> Fault.BadBody.Kind.TRUNCATED;
            default -> throw new IllegalArgumentException("kind: \"" + kind
                    + "\" (expected: not_json or truncated)");
        };
    }
}
