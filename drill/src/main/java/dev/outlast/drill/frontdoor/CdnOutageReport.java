package dev.outlast.drill.frontdoor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.frontdoor.FrontDoorStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@value CdnOutage#NAME} drill in words: a progress line a second, the table of seconds users saw
 * errors with and without steering, the record's moves, the verdict, and {@code report.json}.
 * Stateless and thread-safe.
 */
public final class CdnOutageReport {

    private static final String ROW = "%-22s %6s  %-34s %-34s";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CdnOutageReport() {
    }

    /** {@code [cdn-outage/cloudflare-5xx 12s] record: cloudfront | with steering: 40 ok, 8 failed | without: ...}. */
    static String progress(CdnOutage.Phase phase, Duration elapsed, FrontDoorStatus status,
                           List<HostnameUser.Fetch> steered, List<HostnameUser.Fetch> fixed) {
        return "[" + CdnOutage.NAME + "/" + phase.name() + " " + elapsed.toSeconds() + "s] record: " + status.active()
               + " | with steering: " + counts(steered) + " | without: " + counts(fixed);
    }

    private static String counts(List<HostnameUser.Fetch> fetches) {
        long failed = fetches.stream().filter(HostnameUser.Fetch::failed).count();
        return (fetches.size() - failed) + " ok, " + failed + " failed";
    }

    /** One row per phase: its length, then what each user saw. */
    public static String table(CdnOutageResult result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, ROW, "phase", "length",
                "with steering (DNS via Outlast)", "without (always cloudflare)")).append('\n');
        for (CdnOutageResult.PhaseOutcome p : result.phases()) {
            out.append(String.format(Locale.ROOT, ROW, p.phase().name(), p.lasted().toSeconds() + "s",
                    tally(p.steered()), tally(p.fixed()))).append('\n');
        }
        return out.toString();
    }

    private static String tally(CdnOutageResult.Tally t) {
        return t.errorSeconds() + " s with errors (" + t.errors() + "/" + t.requests() + " failed)";
    }

    /** {@code +11.3s (cloudflare-5xx) cloudflare -> cloudfront: reason}, one line a move. */
    public static String moves(CdnOutageResult result) {
        StringBuilder out = new StringBuilder();
        for (CdnOutageResult.Move m : result.moves()) {
            out.append(String.format(Locale.ROOT, "+%.1fs (%s) %s -> %s: %s%n", m.at().toMillis() / 1000.0,
                    m.phase(), m.from(), m.to(), m.reason()));
        }
        return out.isEmpty() ? "the record never moved\n" : out.toString();
    }

    /** PASS or FAIL, with the seconds of errors in the Cloudflare outage and with the origin down. */
    public static String verdict(CdnOutageResult result) {
        StringBuilder out = new StringBuilder(result.passed() ? "PASS" : "FAIL");
        for (CdnOutageResult.PhaseOutcome p : result.phases()) {
            if (p.phase().cloudflarePage() != 0) {
                out.append(": in ").append(p.phase().name()).append(" (").append(p.lasted().toSeconds())
                        .append(" s) users saw errors for ").append(p.steered().errorSeconds())
                        .append(" s with steering (limit ").append(CdnOutageResult.MAX_ERROR_SECONDS)
                        .append(" s: detection + TTL ").append(CdnOutage.TTL.toSeconds()).append(" s), ")
                        .append(p.fixed().errorSeconds()).append(" s without");
            } else if (p.phase().originDown()) {
                out.append("; in ").append(p.phase().name()).append(" ").append(p.steered().errorSeconds())
                        .append(" s with steering, ").append(p.fixed().errorSeconds())
                        .append(" s without (the record stays: steering would not help)");
            }
        }
        return out.append(result.complete() ? "" : " (stopped early)").toString();
    }

    /** The JSON report: every phase with what each user saw, every move, the verdict. */
    public static ObjectNode json(CdnOutageResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", CdnOutage.NAME).put("description", CdnOutage.DESCRIPTION)
                .put("startedAt", result.startedAt().toString()).put("complete", result.complete())
                .put("passed", result.passed()).put("ttlSeconds", CdnOutage.TTL.toSeconds())
                .put("maxErrorSeconds", CdnOutageResult.MAX_ERROR_SECONDS);
        ArrayNode phases = root.putArray("phases");
        for (CdnOutageResult.PhaseOutcome p : result.phases()) {
            ObjectNode n = phases.addObject().put("name", p.phase().name()).put("description", p.phase().description())
                    .put("seconds", p.lasted().toSeconds());
            tally(n.putObject("withSteering"), p.steered());
            tally(n.putObject("withoutSteering"), p.fixed());
        }
        ArrayNode moves = root.putArray("moves");
        for (CdnOutageResult.Move m : result.moves()) {
            moves.addObject().put("atSeconds", m.at().toMillis() / 1000.0).put("phase", m.phase()).put("from", m.from())
                    .put("to", m.to()).put("reason", m.reason());
        }
        return root;
    }

    private static void tally(ObjectNode n, CdnOutageResult.Tally t) {
        n.put("requests", t.requests()).put("errors", t.errors()).put("errorSeconds", t.errorSeconds());
    }

    /** Writes {@code report.json} into {@code dir} (created if needed). */
    public static void write(CdnOutageResult result, Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("report.json").toFile(), json(result));
    }
}
