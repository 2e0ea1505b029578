package dev.outlast.drill.scenario.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.YamlDocument;
import dev.outlast.config.YamlMapping;
import dev.outlast.config.YamlNode;
import dev.outlast.drill.Fault;
import dev.outlast.drill.FaultJson;
import dev.outlast.drill.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds scenario YAML to a {@link Scenario} with the config loader's walk ({@link YamlDocument}): every problem
 * is recorded at its YAML path ({@code phases[1].faults.alpha[0].status: 418 (expected: …)}) and
 * binding goes on, so one pass finds them all. A phase written {@code - include: NAME} stands for the
 * phases of the built-in scenario {@code NAME}, renamed {@code NAME/phase}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ScenarioBinder {

    private static final List<String> KEYS = List.of("name", "description", "providers", "blockInterval", "load",
            "phases");
    private static final List<String> LOAD_KEYS = List.of("readers", "transfersPerSecond");
    private static final List<String> PHASE_KEYS = List.of("name", "description", "duration", "faults");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final String NAME_FORM = "a name of lower-case letters, digits and -";
    private static final Map<String, List<String>> FAULT_KEYS = faultKeys();

    private ScenarioBinder() {
    }

    /**
     * Binds {@code document}; {@code includes} finds the built-in scenario an {@code include} names.
     *
     * @param fallbackName the scenario's name when the file gives none (e.g. the file's base name)
     * @return the scenario, or {@code null} when {@code document} received an error
     */
    public static Scenario bind(YamlDocument document, String fallbackName,
                                Function<String, Optional<Scenario>> includes) {
        int errors = document.errorCount();
        Optional<YamlNode> root = document.root();
        if (root.isEmpty()) {
            return null;
        }
        Optional<YamlMapping> mapping = root.get().mapping(KEYS, "a mapping with providers and phases");
        if (mapping.isEmpty()) {
            return null;
        }
        String name = fallbackName;
        String description = "";
        List<String> providers = Scenario.PROVIDER_NAMES.subList(0, 3);
        Duration blockInterval = Scenario.DEFAULT_BLOCK_INTERVAL;
        Scenario.Load load = Scenario.Load.DEFAULT;
        YamlNode phasesNode = null;
        for (YamlNode value : mapping.get()) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, NAME_FORM).orElse(name);
                case "description" -> description = value.text("a line of text").orElse(description);
                case "providers" -> providers = providers(value).orElse(providers);
                case "blockInterval" -> blockInterval = value.duration(true).orElse(blockInterval);
                case "load" -> load = load(value).orElse(load);
                case "phases" -> phasesNode = value;
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("phases", "a list of phases");
        List<Scenario.Phase> phases = phasesNode == null ? List.of()
                : phases(phasesNode, providers, includes).orElse(List.of());
        if (document.errorCount() > errors) {
            return null;
        }
        return new Scenario(name, description, providers, blockInterval, load, phases);
    }

    private static Optional<List<String>> providers(YamlNode node) {
        if (!node.json().isArray()) {
            return node.integer(1, Scenario.PROVIDER_NAMES.size(), "a number of providers (1.."
                    + Scenario.PROVIDER_NAMES.size() + ") or a list of names")
                    .map(n -> Scenario.PROVIDER_NAMES.subList(0, n.intValue()));
        }
        Optional<List<YamlNode>> elements = node.list("a list of provider names");
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        if (elements.get().isEmpty()) {
            node.invalid("at least one provider");
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (YamlNode element : elements.get()) {
            element.matching(NAME, NAME_FORM).ifPresent(n -> {
                if (names.contains(n)) {
                    element.invalid("a name not used before");
                } else {
                    names.add(n);
                }
            });
        }
        return Optional.of(names);
    }

    private static Optional<Scenario.Load> load(YamlNode node) {
        Optional<YamlMapping> mapping = node.mapping(LOAD_KEYS, "a mapping with readers and transfersPerSecond");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int readers = Scenario.Load.DEFAULT_READERS;
        double transfers = Scenario.Load.DEFAULT_TRANSFERS_PER_SECOND;
        for (YamlNode value : mapping.get()) {
            switch (value.key()) {
                case "readers" -> readers = value.integer(1, 64, ">= 1").map(Long::intValue).orElse(readers);
                case "transfersPerSecond" -> transfers = rate(value).orElse(transfers);
                default -> throw new AssertionError(value.key());
            }
        }
        return Optional.of(new Scenario.Load(readers, transfers));
    }

    private static Optional<Double> rate(YamlNode node) {
        String expected = "a number in 0..100";
        Optional<String> text = node.text(expected);
        try {
            double rate = Double.parseDouble(text.orElse(""));
            if (rate >= 0 && rate <= 100) {
                return Optional.of(rate);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (text.isPresent()) {
            node.invalid(expected);
        }
        return Optional.empty();
    }

    private static Optional<List<Scenario.Phase>> phases(YamlNode node, List<String> providers,
                                                         Function<String, Optional<Scenario>> includes) {
        Optional<List<YamlNode>> elements = node.list("a list of phases");
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        if (elements.get().isEmpty()) {
            node.invalid("at least one phase");
            return Optional.empty();
        }
        List<Scenario.Phase> phases = new ArrayList<>();
        for (YamlNode element : elements.get()) {
            if (element.json().isObject() && element.json().has("include")) {
                phases.addAll(include(element, providers, includes));
            } else {
                phase(element, providers).ifPresent(phases::add);
            }
        }
        return Optional.of(phases);
    }

    private static List<Scenario.Phase> include(YamlNode node, List<String> providers,
                                                Function<String, Optional<Scenario>> includes) {
        Optional<YamlMapping> mapping = node.mapping(List.of("include"), "a mapping");
        if (mapping.isEmpty()) {
            return List.of();
        }
        for (YamlNode value : mapping.get()) {
            Optional<String> name = value.matching(NAME, "the name of a built-in scenario");
            if (name.isEmpty()) {
                return List.of();
            }
            Optional<Scenario> included = includes.apply(name.get());
            if (included.isEmpty()) {
                value.invalid("the name of a built-in scenario");
                return List.of();
            }
            if (!providers.containsAll(included.get().providers())) {
                value.invalid("a scenario whose providers (" + String.join(", ", included.get().providers())
                        + ") are all in this one");
                return List.of();
            }
            return included.get().phases().stream().map(p -> new Scenario.Phase(name.get() + "/" + p.name(),
                    p.description(), p.duration(), p.faults())).toList();
        }
        return List.of();
    }

    private static Optional<Scenario.Phase> phase(YamlNode node, List<String> providers) {
        Optional<YamlMapping> mapping = node.mapping(PHASE_KEYS, "a mapping with name, duration and faults, "
                + "or include");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.errorCount();
        String name = null;
        String description = "";
        Duration duration = null;
        Map<String, List<Fault>> faults = new LinkedHashMap<>();
        for (YamlNode value : mapping.get()) {
            switch (value.key()) {
                case "name" -> name = value.matching(NAME, NAME_FORM).orElse(null);
                case "description" -> description = value.text("a line of text").orElse(description);
                case "duration" -> duration = value.duration(true).orElse(null);
                case "faults" -> faults = faults(value, providers);
                default -> throw new AssertionError(value.key());
            }
        }
        mapping.get().require("name", NAME_FORM);
        mapping.get().require("duration", "a duration such as 500ms or 10s");
        if (node.errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new Scenario.Phase(name, description, duration, faults));
    }

    private static Map<String, List<Fault>> faults(YamlNode node, List<String> providers) {
        Map<String, List<Fault>> faults = new LinkedHashMap<>();
        Optional<YamlMapping> mapping = node.mapping(providers, "a mapping of provider names to fault lists");
        if (mapping.isEmpty()) {
            return faults;
        }
        for (YamlNode value : mapping.get()) {
            Optional<List<YamlNode>> elements = value.list("a list of faults");
            if (elements.isEmpty()) {
                continue;
            }
            List<Fault> list = new ArrayList<>();
            for (YamlNode element : elements.get()) {
                fault(element).ifPresent(list::add);
            }
            faults.put(value.key(), list);
        }
        return faults;
    }

    private static Optional<Fault> fault(YamlNode node) {
        if (!node.json().isObject()) {
            node.invalid("a fault mapping with a type");
            return Optional.empty();
        }
        JsonNode type = node.json().get("type");
        List<String> keys = type == null ? null : FAULT_KEYS.get(type.asText());
        if (keys == null) {
            node.child("type", type).invalid(FaultJson.TYPES);
            return Optional.empty();
        }
        int errors = node.errorCount();
        Optional<YamlMapping> mapping = node.mapping(keys, "a fault mapping");
        // The values are read by FaultJson below; walking the mapping reports the keys this type lacks.
        mapping.ifPresent(m -> m.forEach(value -> {
        }));
        if (node.errorCount() > errors) {
            return Optional.empty();
        }
        try {
            return Optional.of(FaultJson.fromJson(node.json()).getFirst());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            if (colon > 0 && keys.contains(message.substring(0, colon))) {
                node.child(message.substring(0, colon), null).error(message.substring(colon + 2));
            } else {
                node.error(message);
            }
            return Optional.empty();
        }
    }

    private static Map<String, List<String>> faultKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        List<String> status = List.of("type", "p", "status");
        for (String edge : List.of("cloudflare", "cloudfront", "aws_elb", "fastly", "akamai", "error_rate")) {
            keys.put(edge, status);
        }
        keys.put("http", List.of("type", "p", "status", "headers", "body"));
        keys.put("rate_limit", List.of("type", "p", "retryAfterSeconds"));
        keys.put("latency", List.of("type", "p", "delayMs", "jitterMs"));
        keys.put("latency_distribution", List.of("type", "p", "p50Ms", "p99Ms"));
        keys.put("reset", List.of("type", "p"));
        keys.put("black_hole", List.of("type", "p"));
        keys.put("bad_body", List.of("type", "p", "kind"));
        keys.put("lie", List.of("type", "p", "methods"));
        keys.put("lag", List.of("type", "p", "blocks"));
        keys.put("wrong_chain", List.of("type", "p", "chainId"));
        return Map.copyOf(keys);
    }
}
