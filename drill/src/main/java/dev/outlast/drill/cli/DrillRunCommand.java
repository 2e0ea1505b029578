package dev.outlast.drill.cli;

import dev.outlast.cli.ListenAddress;
import dev.outlast.cli.Main;
import dev.outlast.cli.StopOnSignal;
import dev.outlast.config.ConfigException;
import dev.outlast.drill.frontdoor.CdnOutage;
import dev.outlast.drill.scenario.Report;
import dev.outlast.drill.scenario.Scenario;
import dev.outlast.drill.scenario.ScenarioLoader;
import dev.outlast.drill.scenario.ScenarioResult;
import dev.outlast.drill.scenario.ScenarioRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code outlast drill run SCENARIO|FILE.yaml}: plays a scenario with {@link ScenarioRunner}, shows a
 * progress line on stderr, prints the per-phase table, optionally writes the report. Exit 0 when the
 * load through Outlast saw no error and no wrong value, 1 when it did (or the run could not start or
 * was stopped), 2 for usage errors and bad scenario files.
 */
@Command(name = "run", sortOptions = false,
         description = {"Play an outage scenario: simulated providers behind fault proxies, Outlast in front of "
                        + "them, and a wallet load checked against the chain's ledger, through Outlast and directly "
                        + "from the first provider. Prints a table per phase; exits 1 if the load through Outlast "
                        + "saw any error or wrong value.",
                        "Built-in scenarios: see `outlast drill list`; `cdn-outage` plays a CDN outage in front of "
                        + "a site whose hostname Outlast steers through DNS, and exits 1 unless steering held users' "
                        + "errors to detection plus TTL."})
final class DrillRunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO|FILE.yaml", description = "a built-in scenario or a YAML file")
    private String scenario;

    @Option(names = "--phase-seconds", paramLabel = "N", description = "make every phase last N seconds (e.g. in CI)")
    private Integer phaseSeconds;

    @Option(names = "--report", paramLabel = "DIR", description = "write report.json and report.html into DIR")
    private Path report;

    @Option(names = "--listen", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
            description = "where the gateway listens during the drill; default ${DEFAULT-VALUE} (a free port)")
    private String listen;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ListenAddress address = ListenAddress.parseOption(spec, "--listen", listen);
        if (phaseSeconds != null && (phaseSeconds < 1 || phaseSeconds > 3600)) {
            throw new ParameterException(spec.commandLine(), "--phase-seconds: " + phaseSeconds
                                                             + " (expected: 1..3600)");
        }
        if (scenario.equals(CdnOutage.NAME)) {
            if (phaseSeconds != null) {
                err.println("outlast: --phase-seconds does not apply to " + CdnOutage.NAME
                            + " (its phases are sized to show detection plus TTL); ignored");
            }
            return CdnOutageRun.run(out, err, address, listen, report);
        }
        Scenario s;
        try {
            s = ScenarioLoader.resolve(scenario);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Main.EXIT_INVALID;
        }
        if (phaseSeconds != null) {
            s = s.withPhaseLength(Duration.ofSeconds(phaseSeconds));
        }
        ScenarioRunner runner;
        try {
            runner = ScenarioRunner.start(s, address.host(), address.address().getPort());
        } catch (RuntimeException e) {
            err.println("outlast: cannot start the drill on " + listen + ": " + rootMessage(e));
            return 1;
        }
        out.println("Drill " + s.name() + ": " + s.description());
        out.println(s.phases().size() + " phases, " + s.duration().toSeconds() + " s; providers "
                    + String.join(", ", s.providers()) + "; Outlast at " + runner.rpcUri() + "; direct load to "
                    + s.providers().getFirst());
        out.flush();
        ScenarioResult result;
        ProgressLine progress = new ProgressLine(err);
        StopOnSignal signal = StopOnSignal.install(runner::stop, 15, "outlast-drill-shutdown");
        try {
            result = runner.play(s, progress);
        } finally {
            progress.clear();
            runner.close();
            signal.close();
        }
        out.print(Report.table(result));
        out.println(Report.verdict(result));
        if (!result.passed()) {
            out.println("Through Outlast, first failures by phase:");
            out.println(Report.outlastSamples(result));
        }
        out.flush();
        if (report != null) {
            try {
                Report.write(result, report);
                out.println("Report: " + report.resolve("report.html") + ", " + report.resolve("report.json"));
                out.flush();
            } catch (IOException e) {
                err.println("outlast: cannot write the report to " + report + ": " + e.getMessage());
                return 1;
            }
        }
        return result.passed() && result.complete() ? 0 : 1;
    }

    /** The message of the innermost cause of {@code e}. */
    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
