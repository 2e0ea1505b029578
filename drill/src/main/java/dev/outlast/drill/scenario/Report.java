package dev.outlast.drill.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.drill.Fault;
import dev.outlast.drill.FaultJson;
import dev.outlast.drill.scenario.internal.ReportHtml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The forms a {@link ScenarioResult} is shown in: a text table (one row per phase and path, then the
 * totals), {@code report.json} and a self-contained {@code report.html} (the table and an inline SVG
 * timeline of errors, wrong values and latency per second; no external assets). Stateless and
 * thread-safe.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String ROW = "%-40s %-7s %8s %7s %6s %7s %7s %7s";

    private Report() {
    }

    /** The table: a header, two rows per phase (through Outlast, direct), and the totals. */
    public static String table(ScenarioResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "phase", "path", "requests", "errors", "wrong", "p50 ms",
                "p99 ms", "max ms")).append('\n');
        for (int i = 0; i < result.phases().size(); i++) {
            PhaseResult phase = result.phases().get(i);
            out.append(row((i + 1) + " " + phase.phase().name(), "outlast", phase.outlast())).append('\n');
            out.append(row("", "direct", phase.direct())).append('\n');
        }
        out.append(row("total", "outlast", result.outlastTotal())).append('\n');
        out.append(row("", "direct", result.directTotal())).append('\n');
        return out.toString();
    }

    /** One line: whether the load through Outlast saw no error and no wrong value. */
    public static String verdict(ScenarioResult result) {
        PathStats o = result.outlastTotal();
        PathStats d = result.directTotal();
        String direct = "direct to " + result.scenario().providers().getFirst() + ": " + d.errors() + " errors, "
                + d.wrong() + " wrong values of " + d.requests();
        return (result.passed() ? "PASS" : "FAIL") + ": through Outlast " + o.errors() + " errors, " + o.wrong()
                + " wrong values of " + o.requests() + " requests, newHeads " + result.heads().line() + "; " + direct
                + (result.complete() ? "" : " (stopped early)");
    }

    /** The errors and wrong values seen through Outlast, by phase, for a failed run; empty if none. */
    public static String outlastSamples(ScenarioResult result) {
        return result.phases().stream().filter(p -> !p.outlast().clean())
                .map(p -> p.phase().name() + ":\n" + p.outlast().samples().stream().map(s -> "  " + s)
                        .collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
    }

    /** The JSON report. */
    public static ObjectNode json(ScenarioResult result) {
        ObjectNode root = JSON.createObjectNode();
        Scenario s = result.scenario();
        root.put("scenario", s.name()).put("description", s.description())
                .put("startedAt", result.startedAt().toString()).put("complete", result.complete())
                .put("passed", result.passed());
        s.providers().forEach(root.putArray("providers")::add);
        root.put("directProvider", s.providers().getFirst());
        root.putObject("load").put("readers", s.load().readers())
                .put("transfersPerSecond", s.load().transfersPerSecond());
        ArrayNode phases = root.putArray("phases");
        for (int i = 0; i < result.phases().size(); i++) {
            PhaseResult phase = result.phases().get(i);
            ObjectNode p = phases.addObject().put("name", phase.phase().name())
                    .put("description", phase.phase().description())
                    .put("seconds", phase.phase().duration().toMillis() / 1000.0)
                    .put("startSecond", result.phaseStarts().get(i));
            ObjectNode faults = p.putObject("faults");
            phase.phase().faults().forEach((provider, list) -> faults.set(provider, FaultJson.toJson(list)));
            p.set("outlast", stats(phase.outlast()));
            p.set("direct", stats(phase.direct()));
        }
        HeadStats h = result.heads();
        ObjectNode heads = root.putObject("newHeads").put("delivered", h.delivered()).put("gaps", h.gaps())
                .put("duplicates", h.duplicates()).put("unlinked", h.unlinked()).put("closedEarly", h.closedEarly());
        if (h.failure() != null) {
            heads.put("failure", h.failure());
        }
        ObjectNode total = root.putObject("total");
        total.set("outlast", stats(result.outlastTotal()));
        total.set("direct", stats(result.directTotal()));
        ObjectNode timeline = root.putObject("timeline");
        timeline.set("outlast", timeline(result.outlastTimeline()));
        timeline.set("direct", timeline(result.directTimeline()));
        return root;
    }

    /** The HTML report: self-contained, with the table and an inline SVG timeline. */
    public static String html(ScenarioResult result) {
        return ReportHtml.render(result);
    }

    /** Writes {@code report.json} and {@code report.html} into {@code dir}, creating it if needed. */
    public static void write(ScenarioResult result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(json(result)) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(result), StandardCharsets.UTF_8);
    }

    /** {@code alpha: cloudflare 522, 50% cloudflare 500 | beta: 30% cloudflare 502}; {@code no faults}. */
    public static String faultsLine(Scenario.Phase phase) {
        if (phase.faults().isEmpty()) {
            return "no faults";
        }
        return phase.faults().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + ": " + e.getValue().stream().map(Report::describe)
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining(" | "));
    }

    /** A few words for one fault, e.g. {@code 30% cloudflare 502}. */
    public static String describe(Fault fault) {
        String what = switch (fault) {
            case Fault.CloudflarePage f -> "cloudflare " + f.status();
            case Fault.EdgePage f -> f.edge().type().replace('_', '-') + " " + f.status();
            case Fault.HttpError f -> "http " + f.status();
            case Fault.RateLimited f -> "429 retry-after " + f.retryAfterSeconds() + "s";
            case Fault.ErrorRate f -> "http " + f.status();
            case Fault.Latency f -> "+" + f.delay().toMillis() + (f.jitter().isZero() ? "" : "±" + f.jitter().toMillis())
                    + " ms";
            case Fault.LatencyDistribution f -> "latency p50 " + f.p50().toMillis() + " p99 " + f.p99().toMillis()
                    + " ms";
            case Fault.Reset f -> "resets";
            case Fault.BlackHole f -> "black hole";
            case Fault.BadBody f -> f.kind() == Fault.BadBody.Kind.NOT_JSON ? "non-JSON bodies" : "truncated bodies";
            case Fault.Lie f -> "lies (0x0 " + f.methods().stream().sorted()
                    .map(m -> m.replace("eth_get", "").replace("TransactionCount", "nonce").toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")) + ")";
            case Fault.Lag f -> "head " + f.blocks() + " blocks behind";
            case Fault.WrongChain f -> "chain id " + f.chainId();
        };
        return fault.p() >= 1 ? what : Math.round(fault.p() * 100) + "% " + what;
    }

    private static String row(String phase, String path, PathStats s) {
        return String.format(Locale.ROOT, ROW, phase, path, s.requests(), s.errors(), s.wrong(), s.p50Millis(),
                s.p99Millis(), s.maxMillis());
    }

    private static ObjectNode stats(PathStats s) {
        ObjectNode o = JSON.createObjectNode().put("requests", s.requests()).put("errors", s.errors())
                .put("wrong", s.wrong()).put("p50Ms", s.p50Millis()).put("p99Ms", s.p99Millis())
                .put("maxMs", s.maxMillis());
        s.samples().forEach(o.putArray("samples")::add);
        return o;
    }

    private static ArrayNode timeline(List<PathStats> seconds) {
        ArrayNode array = JSON.createArrayNode();
        for (int t = 0; t < seconds.size(); t++) {
            PathStats s = seconds.get(t);
            array.addObject().put("second", t).put("requests", s.requests()).put("errors", s.errors())
                    .put("wrong", s.wrong()).put("p50Ms", s.p50Millis()).put("maxMs", s.maxMillis());
        }
        return array;
    }
}
