package dev.outlast.drill.frontdoor;

import dev.outlast.frontdoor.FrontDoorStatus;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@value CdnOutage#NAME} drill in words: a progress line a second, the table of seconds users saw
 * errors with and without steering, the record's moves, and the verdict. Stateless and thread-safe.
 */
public final class CdnOutageReport {

    private static final String ROW = "%-22s %6s  %-34s %-34s";

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
}
