package dev.outlast.drill.cli;

import dev.outlast.cli.ListenAddress;
import dev.outlast.cli.StopOnSignal;
import dev.outlast.drill.frontdoor.CdnOutage;
import dev.outlast.drill.frontdoor.CdnOutageReport;
import dev.outlast.drill.frontdoor.CdnOutageResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code outlast drill run cdn-outage}: plays the {@link CdnOutage} drill, shows its progress on one
 * line of stderr, prints the table of seconds users saw errors with and without steering, the record's
 * moves and the verdict, and optionally writes {@code report.json}. Exit 0 when steering did its job,
 * 1 when not (or the drill could not start or was stopped).
 */
final class CdnOutageRun {

    private CdnOutageRun() {
    }

    static int run(PrintWriter out, PrintWriter err, ListenAddress address, String listen, Path report) {
        CdnOutage drill;
        try {
            drill = CdnOutage.start(address.host(), address.address().getPort());
        } catch (RuntimeException e) {
            err.println("outlast: cannot start the drill on " + listen + ": " + DrillRunCommand.rootMessage(e));
            return 1;
        }
        out.println("Drill " + CdnOutage.NAME + ": " + CdnOutage.DESCRIPTION);
        out.println(CdnOutage.PHASES.size() + " phases, " + CdnOutage.length().toSeconds() + " s; Outlast at "
                    + drill.baseUrl() + " (status page " + drill.baseUrl() + "/status), its DNS server at "
                    + drill.dnsAddress());
        out.flush();
        CdnOutageResult result;
        ProgressLine line = new ProgressLine(err);
        StopOnSignal signal = StopOnSignal.install(drill::stop, 15, "outlast-drill-shutdown");
        try {
            result = drill.play(line::show);
        } finally {
            line.clear();
            drill.close();
            signal.close();
        }
        out.print(CdnOutageReport.table(result));
        out.print(CdnOutageReport.moves(result));
        out.println(CdnOutageReport.verdict(result));
        out.flush();
        if (report != null) {
            try {
                CdnOutageReport.write(result, report);
                out.println("Report: " + report.resolve("report.json"));
                out.flush();
            } catch (IOException e) {
                err.println("outlast: cannot write the report to " + report + ": " + e.getMessage());
                return 1;
            }
        }
        return result.passed() ? 0 : 1;
    }
}
