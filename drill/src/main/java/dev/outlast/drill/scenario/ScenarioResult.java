package dev.outlast.drill.scenario;

import java.time.Instant;
import java.util.List;

/**
 * One played scenario: per phase, and per second of the run, what the load saw through Outlast and
 * directly. Immutable.
 *
 * @param scenario        the scenario as played
 * @param startedAt       when the first phase started
 * @param phases          one result per phase played (fewer than the scenario's when stopped early)
 * @param phaseStarts     the second of the run each played phase started at
 * @param outlastTimeline per second of the run, through Outlast
 * @param directTimeline  per second of the run, direct
 * @param outlastTotal    the whole run through Outlast
 * @param directTotal     the whole run direct
 * @param complete        false when the run was stopped before its last phase ended
 * @param heads           what a {@code newHeads} subscription through Outlast received during the run
 */
public record ScenarioResult(Scenario scenario, Instant startedAt, List<PhaseResult> phases, List<Integer> phaseStarts,
                             List<PathStats> outlastTimeline, List<PathStats> directTimeline, PathStats outlastTotal,
                             PathStats directTotal, boolean complete, HeadStats heads) {

    public ScenarioResult {
        phases = List.copyOf(phases);
        phaseStarts = List.copyOf(phaseStarts);
        outlastTimeline = List.copyOf(outlastTimeline);
        directTimeline = List.copyOf(directTimeline);
    }

    /**
     * Whether the load through Outlast saw no error and no wrong value, and its {@code newHeads}
     * subscription every block once.
     */
    public boolean passed() {
        return outlastTotal().clean() && heads.clean();
    }
}
