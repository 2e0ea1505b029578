package dev.outlast.drill.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.drill.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every built-in scenario, played in short form (1.5 s phases; 2 s for {@code everything}, so that
 * the direct path, stuck for its 7 s client timeout in partition's black hole, is free again before
 * the lies that follow) against simulated providers, fault proxies and the real gateway:
 * through Outlast no error and no wrong value in any phase; directly from alpha, the errors and wrong
 * values the scenario is made of, so a scenario that stops biting fails here. About 90 s in all.
 */
class BuiltInScenariosIT {

    @ParameterizedTest(name = "{0} with {1} ms phases")
    @CsvSource({"cloudflare-5xx, 1500", "aws-zero-balances, 1500", "rolling-maintenance, 1500", "partition, 1500",
                "everything, 2000"})
    void outlastServesEveryAnswerRightWhileTheDirectPathSeesTheOutage(String name, int phaseMillis) {
        Scenario scenario = ScenarioLoader.builtIn(name).orElseThrow()
                .withPhaseLength(Duration.ofMillis(phaseMillis));
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
        assertThat(result.heads().clean()).as("a newHeads subscription through Outlast: " + result.heads().line())
                .isTrue();
        assertThat(result.heads().delivered()).as("blocks delivered").isGreaterThan(3);
        assertThat(result.passed()).isTrue();
        PathStats direct = result.directTotal();
        assertThat(direct.errors() + direct.wrong()).as("the outage as alpha's clients see it\n" + table).isPositive();
        if (lies(scenario)) {
            assertThat(direct.wrong()).as("alpha's lies reach its direct clients\n" + table).isPositive();
        }
    }

    private static boolean lies(Scenario scenario) {
        return scenario.phases().stream().map(p -> p.faultsOf("alpha")).flatMap(List::stream)
                .anyMatch(f -> f instanceof Fault.Lie);
    }
}
