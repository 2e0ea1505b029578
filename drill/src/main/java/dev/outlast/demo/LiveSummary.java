package dev.outlast.demo;

import dev.outlast.drill.scenario.PathStats;
import dev.outlast.drill.scenario.PhaseResult;
import dev.outlast.drill.scenario.Report;
import dev.outlast.drill.scenario.Scenario;
import dev.outlast.drill.scenario.ScenarioListener;
import java.io.PrintWriter;

/**
 * The demo's terminal output: a header per phase, then once a second what each provider is doing,
 * what the client got through Outlast and directly so far in the phase, and how the gateway sees each
 * upstream; a summary line when the phase ends.
 *
 * <pre>
 * [cloudflare-5xx/edge-down] alpha: 50% cloudflare 500, cloudflare 522 | beta: 30% cloudflare 502 | through outlast: 47 ok, 0 errors, 0 wrong | direct to alpha: 0 ok, 56 errors, 0 wrong | upstreams: alpha down, beta healthy, gamma healthy
 * </pre>
 *
 * Not thread-safe: the runner's thread only.
 */
final class LiveSummary implements ScenarioListener {

    private final PrintWriter out;
    private final int cycle;

    LiveSummary(PrintWriter out, int cycle) {
        this.out = out;
        this.cycle = cycle;
    }

    @Override
    public void phaseStarted(Scenario scenario, int index) {
        Scenario.Phase phase = scenario.phases().get(index);
        out.printf("== cycle %d, phase %d/%d [%s]: %s%n", cycle, index + 1, scenario.phases().size(), phase.name(),
                   phase.description());
        out.flush();
    }

    @Override
    public void tick(Progress p) {
        out.println("[" + p.phase().name() + "] " + Report.faultsLine(p.phase()) + " | " + paths(p.scenario(),
                p.current()) + " | upstreams: " + String.join(", ", p.upstreams()));
        out.flush();
    }

    @Override
    public void phaseEnded(Scenario scenario, int index, PhaseResult result) {
        out.println("[" + result.phase().name() + "] end of phase: " + paths(scenario, result));
        out.flush();
    }

    private static String paths(Scenario scenario, PhaseResult result) {
        return "through outlast: " + counts(result.outlast()) + " | direct to " + scenario.providers().getFirst()
               + ": " + counts(result.direct());
    }

    private static String counts(PathStats s) {
        return (s.requests() - s.errors() - s.wrong()) + " ok, " + s.errors() + " errors, " + s.wrong() + " wrong";
    }
}
