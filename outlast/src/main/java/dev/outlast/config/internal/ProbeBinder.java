package dev.outlast.config.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlast.config.ProbeConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code monitoring.probes}: {@code http}, {@code jsonrpc}, {@code tcp}, {@code tls} and {@code dns} probes. */
final class ProbeBinder {

    private static final List<String> KEYS = List.of("name", "type", "url", "host", "port", "interval", "timeout",
            "expectStatus", "maxLatency", "headers", "conditions", "method", "params", "minValidity", "vendor");
    private static final List<String> CONDITION_KEYS = List.of("path", "equals", "notEquals", "contains", "lessThan",
            "greaterThan", "ageBelow", "exists");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final String TYPES = "http, jsonrpc, tcp, tls or dns";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeBinder() {
    }

    static Optional<List<ProbeConfig>> bindAll(Node node) {
        Uniques names = new Uniques("unique among probes");
        return node.eachMapping("a list of probes", null, null, KEYS, "a probe, a mapping with name, type and its target",
                (element, mapping) -> bind(element, mapping, names));
    }

    private static Optional<ProbeConfig> bind(Node node, Mapping mapping, Uniques names) {
        int errors = node.problems().errorCount();
        String name = null;
        ProbeConfig.Type type = null;
        URI url = null;
        String host = null;
        int port = -1;
        Duration interval = ProbeConfig.DEFAULT_INTERVAL;
        Duration timeout = ProbeConfig.DEFAULT_TIMEOUT;
        int expectStatus = 200;
        Duration maxLatency = null;
        Map<String, String> headers = Map.of();
        List<ProbeConfig.Condition> conditions = List.of();
        String method = null;
        String params = "[]";
        Duration minValidity = ProbeConfig.DEFAULT_MIN_VALIDITY;
        String vendor = null;
        for (Node value : mapping) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, "a name matching [A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
                        .filter(n -> names.first(node, value, n))
                        .orElse(null);
                case "type" -> type = value.as(TYPES, t -> {
                    try {
                        return ProbeConfig.Type.valueOf(t.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new BadValue(TYPES);
                    }
                }).orElse(null);
                case "url" -> url = value.as(Values.URL, Values::url).orElse(null);
                case "host" -> host = value.text("a host name").orElse(null);
                case "port" -> port = value.integer(1, 65535, "a port in 1..65535").map(Long::intValue).orElse(-1);
                case "interval" -> interval = value.duration(true).orElse(interval);
                case "timeout" -> timeout = value.duration(true).orElse(timeout);
                case "expectStatus" -> expectStatus = value.integer(100, 599, "an HTTP status in 100..599")
                        .map(Long::intValue).orElse(expectStatus);
                case "maxLatency" -> maxLatency = value.duration(true).orElse(null);
                case "headers" -> headers = headers(value);
                case "conditions" -> conditions = conditions(value);
                case "method" -> method = value.text("a JSON-RPC method name").orElse(null);
                case "params" -> params = params(value);
                case "minValidity" -> minValidity = value.duration(true).orElse(minValidity);
                case "vendor" -> vendor = value.text("a vendor label such as cloudflare").orElse(null);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.require("name", "a probe name");
        mapping.require("type", TYPES);
        if (type != null) {
            switch (type) {
                case HTTP -> mapping.require("url", Values.URL);
                case JSONRPC -> {
                    mapping.require("url", Values.URL);
                    mapping.require("method", "a JSON-RPC method name");
                }
                case TCP -> {
                    mapping.require("host", "a host name");
                    mapping.require("port", "a port in 1..65535");
                }
                case TLS, DNS -> mapping.require("host", "a host name");
            }
        }
        if (node.problems().errorCount() > errors || name == null || type == null) {
            return Optional.empty();
        }
        if (type == ProbeConfig.Type.TLS && port < 0) {
            port = 443;
        }
        return Optional.of(new ProbeConfig(name, type, url, host, port, interval, timeout, expectStatus, maxLatency,
                headers, conditions, method, params, minValidity, vendor));
    }

    private static Map<String, String> headers(Node node) {
        if (!node.json().isObject()) {
            node.invalid("a mapping of header name to the text it must contain");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.json().properties().forEach(e -> node.child(e.getKey(), e.getValue()).text("the text the header must contain")
                .ifPresent(v -> out.put(e.getKey().toLowerCase(Locale.ROOT), v)));
        return out;
    }

    private static String params(Node node) {
        if (!node.json().isArray() && !node.json().isObject()) {
            node.invalid("a list or a mapping (the JSON-RPC params)");
            return "[]";
        }
        try {
            return JSON.writeValueAsString(node.json());
        } catch (JsonProcessingException e) {
            node.invalid("a list or a mapping (the JSON-RPC params)");
            return "[]";
        }
    }

    private static List<ProbeConfig.Condition> conditions(Node node) {
        List<ProbeConfig.Condition> out = new ArrayList<>();
        for (Node element : node.list("a list of conditions").orElse(List.of())) {
            Optional<Mapping> mapping = element.mapping(CONDITION_KEYS,
                    "a condition, a mapping with path and one of equals, notEquals, contains, lessThan, greaterThan, "
                            + "ageBelow, exists");
            if (mapping.isEmpty()) {
                continue;
            }
            String path = null;
            ProbeConfig.Op op = null;
            String operand = null;
            int ops = 0;
            for (Node value : mapping.get()) {
                if (value.key().equals("path")) {
                    path = value.text("a JSON pointer such as /result/timestamp or result.timestamp").orElse(null);
                    continue;
                }
                ops++;
                op = switch (value.key()) {
                    case "equals" -> ProbeConfig.Op.EQUALS;
                    case "notEquals" -> ProbeConfig.Op.NOT_EQUALS;
                    case "contains" -> ProbeConfig.Op.CONTAINS;
                    case "lessThan" -> ProbeConfig.Op.LESS_THAN;
                    case "greaterThan" -> ProbeConfig.Op.GREATER_THAN;
                    case "ageBelow" -> ProbeConfig.Op.AGE_BELOW;
                    default -> ProbeConfig.Op.EXISTS;
                };
                if (op == ProbeConfig.Op.AGE_BELOW) {
                    operand = value.duration(true).map(d -> String.valueOf(d.toMillis())).orElse(null);
                } else if (op == ProbeConfig.Op.LESS_THAN || op == ProbeConfig.Op.GREATER_THAN) {
                    operand = value.as("a number (decimal or 0x hex)", t -> {
                        if (Values.integer(t) == null) {
                            MonitoringBinder.number(t, "a number (decimal or 0x hex)");
                        }
                        return t;
                    }).orElse(null);
                } else if (op == ProbeConfig.Op.EXISTS) {
                    operand = value.bool().map(String::valueOf).orElse(null);
                } else {
                    operand = value.text("a value to compare with").orElse(null);
                }
            }
            mapping.get().require("path", "a JSON pointer such as /result/timestamp or result.timestamp");
            if (ops != 1) {
                element.invalid("exactly one of equals, notEquals, contains, lessThan, greaterThan, ageBelow, exists");
            } else if (path != null && operand != null) {
                out.add(new ProbeConfig.Condition(path, op, operand));
            }
        }
        return out;
    }
}
