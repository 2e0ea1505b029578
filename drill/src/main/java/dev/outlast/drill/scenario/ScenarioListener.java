package dev.outlast.drill.scenario;

/**
 * Follows a scenario while it plays, for a progress line or a live summary. Called on the runner's
 * thread; a listener must not block.
 */
public interface ScenarioListener {

    /** Phase {@code index} (from 0) of {@code scenario} begins; its faults are set. */
    default void phaseStarted(Scenario scenario, int index) {
    }

    /** About once a second during a phase. */
    default void tick(Progress progress) {
    }

    /** Phase {@code index} is over; {@code result} counts the requests it started that have ended so far. */
    default void phaseEnded(Scenario scenario, int index, PhaseResult result) {
    }

    /** A listener that does nothing. */
    ScenarioListener NONE = new ScenarioListener() {
    };

    /**
     * Where a phase stands.
     *
     * @param scenario  the scenario playing
     * @param index     the phase, from 0
     * @param elapsed   seconds into the phase
     * @param current   the phase's figures so far
     * @param upstreams each upstream's state as the gateway sees it, e.g. {@code alpha down}
     */
    record Progress(Scenario scenario, int index, long elapsed, PhaseResult current, java.util.List<String> upstreams) {

        public Scenario.Phase phase() {
            return scenario.phases().get(index);
        }
    }
}
