package dev.outlast.drill.cli;

import dev.outlast.drill.frontdoor.CdnOutage;
import dev.outlast.drill.scenario.Scenario;
import dev.outlast.drill.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code outlast drill list}: the built-in scenarios, one a line: name, phases and length, description; {@code cdn-outage} last. */
@Command(name = "list", description = "List the built-in scenarios `outlast drill run` plays.")
final class DrillListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Scenario> scenarios = ScenarioLoader.builtIns();
        int width = Math.max(CdnOutage.NAME.length(),
                             scenarios.stream().mapToInt(s -> s.name().length()).max().orElse(0));
        for (Scenario s : scenarios) {
            out.printf("%-" + width + "s  %s (%d phases, %d s)%n", s.name(), s.description(), s.phases().size(),
                       s.duration().toSeconds());
        }
        out.printf("%-" + width + "s  %s (%d phases, %d s)%n", CdnOutage.NAME, CdnOutage.DESCRIPTION,
                   CdnOutage.PHASES.size(), CdnOutage.length().toSeconds());
        out.flush();
        return 0;
    }
}
