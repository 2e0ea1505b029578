package dev.outlast.drill.cli;

import dev.outlast.drill.scenario.PathStats;
import dev.outlast.drill.scenario.Scenario;
import dev.outlast.drill.scenario.ScenarioListener;
import java.io.PrintWriter;

/**
 * The progress of {@code drill run} on one line of the terminal, rewritten in place ({@code \r}) about
 * once a second: the phase, and what the load got through Outlast and direct so far in it (or any
 * line given to {@link #show}). Not thread-safe: the runner's thread only.
 */
final class ProgressLine implements ScenarioListener {

    private final PrintWriter err;
    private int shown;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void phaseStarted(Scenario scenario, int index) {
        show(prefix(scenario, index, 0) + "starting");
    }

    @Override
    public void tick(Progress p) {
        show(prefix(p.scenario(), p.index(), p.elapsed()) + "outlast " + counts(p.current().outlast())
                + " | direct " + counts(p.current().direct()) + " | " + String.join(", ", p.upstreams()));
    }

    /** Erases the line, before the table is printed. */
    void clear() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    private static String prefix(Scenario scenario, int index, long elapsed) {
        Scenario.Phase phase = scenario.phases().get(index);
        return "[" + (index + 1) + "/" + scenario.phases().size() + " " + phase.name() + " " + elapsed + "/"
                + phase.duration().toSeconds() + "s] ";
    }

    private static String counts(PathStats s) {
        return s.requests() + " req, " + s.errors() + " err, " + s.wrong() + " wrong";
    }

    /** Shows {@code line} in place of the last one. */
    void show(String line) {
        err.print("\r" + line + (line.length() < shown ? " ".repeat(shown - line.length()) : ""));
        err.flush();
        shown = line.length();
    }
}
