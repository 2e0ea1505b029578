package dev.outlast.drill.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.drill.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every built-in scenario, played in short form (2 s phases) against simulated providers, fault
 * proxies and the real gateway: through Outlast no error and no wrong value in any phase; directly
 * from alpha, the errors and wrong values the scenario is made of, so a scenario that stops biting
 * fails here. About 80 s in all.
 */
class BuiltInScenariosIT {

    private static final Duration PHASE = Duration.ofSeconds(2);

    @ParameterizedTest
    @ValueSource(strings = {"cloudflare-5xx", "aws-zero-balances", "rolling-maintenance", "partition", "everything"})
    void outlastServesEveryAnswerRightWhileTheDirectPathSeesTheOutage(String name) {
        Scenario scenario = ScenarioLoader.builtIn(name).orElseThrow().withPhaseLength(PHASE);
        ScenarioResult result;
        try (ScenarioRunner runner = ScenarioRunner.start(scenario, "127.0.0.1", 0)) {
            result = runner.play(scenario, ScenarioListener.NONE);
        }
        String table = Report.table(result) + Report.outlastSamples(result);

        assertThat(result.complete()).as(table).isTrue();
        assertThat(result.phases()).hasSize(scenario.phases().size());
        for (PhaseResult phase : result.phases()) {
            assertThat(phase.outlast().requests()).as(phase.phase().name() + " requests through Outlast\n" + table)
                    .isPositive();
            assertThat(phase.outlast().errors()).as(phase.phase().name() + " errors through Outlast\n" + table)
                    .isZero();
            assertThat(phase.outlast().wrong()).as(phase.phase().name() + " wrong values through Outlast\n" + table)
                    .isZero();
        }
        assertThat(result.passed()).isTrue();
        PathStats direct = result.directTotal();
        assertThat(direct.errors() + direct.wrong()).as("the outage as alpha's clients see it\n" + table).isPositive();
        if (lies(scenario)) {
            assertThat(direct.wrong()).as("alpha's lies reach its direct clients\n" + table).isPositive();
        }
        assertThat(result.phases().getFirst().direct().clean()).as("healthy start\n" + table).isTrue();
    }

    private static boolean lies(Scenario scenario) {
        return scenario.phases().stream().map(p -> p.faultsOf("alpha")).flatMap(List::stream)
                .anyMatch(f -> f instanceof Fault.Lie);
    }
}
