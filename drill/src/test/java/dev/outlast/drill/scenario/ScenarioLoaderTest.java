package dev.outlast.drill.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlast.config.ConfigException;
import dev.outlast.config.ConfigProblem;
import dev.outlast.drill.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    @Test
    void readsEveryKeyOfAScenarioFile() {
        Scenario s = ScenarioLoader.parse("""
                name: my-outage
                description: alpha serves 522s while beta is slow
                providers: [north, south]
                blockInterval: 500ms
                load:
                  readers: 2
                  transfersPerSecond: 0.5
                phases:
                  - name: calm
                    duration: 5s
                  - name: storm
                    description: north is down
                    duration: 1m
                    faults:
                      north: [{type: cloudflare, status: 522}, {type: aws_elb, status: 504, p: 0.5}]
                      south:
                        - {type: latency_distribution, p50Ms: 100, p99Ms: 900}
                """, "my.yaml", "fallback");

        assertThat(s.name()).isEqualTo("my-outage");
        assertThat(s.providers()).containsExactly("north", "south");
        assertThat(s.blockInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.load()).isEqualTo(new Scenario.Load(2, 0.5));
        assertThat(s.phases()).extracting(Scenario.Phase::name).containsExactly("calm", "storm");
        assertThat(s.phases().get(0).faults()).isEmpty();
        assertThat(s.phases().get(1).duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.phases().get(1).faultsOf("north")).containsExactly(Fault.cloudflare(522),
                Fault.edge(Fault.EdgePage.Edge.AWS_ELB, 504).withP(0.5));
        assertThat(s.phases().get(1).faultsOf("south")).containsExactly(Fault.latency(
                new Fault.LatencyDistribution.Percentiles(Duration.ofMillis(100), Duration.ofMillis(900))));
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(65));
    }

    @Test
    void defaultsToThreeProvidersTheLoadDefaultsAndTheFallbackName() {
        Scenario s = ScenarioLoader.parse("phases: [{name: only, duration: 2s}]", "x.yaml", "from-file");

        assertThat(s.name()).isEqualTo("from-file");
        assertThat(s.providers()).containsExactly("alpha", "beta", "gamma");
        assertThat(s.load()).isEqualTo(Scenario.Load.DEFAULT);
        assertThat(s.blockInterval()).isEqualTo(Scenario.DEFAULT_BLOCK_INTERVAL);
    }

    @Test
    void reportsEveryProblemWithItsYamlPath() {
        assertThatThrownBy(() -> ScenarioLoader.parse("""
                providers: 2
                colour: red
                load: {readers: 0}
                phases:
                  - name: a
                    duration: soon
                  - name: b
                    duration: 1s
                    faults:
                      gamma: [{type: reset}]
                      alpha:
                        - {type: cloudflare, status: 418}
                        - {type: teapot}
                        - {type: latency, delayMs: 5, colour: blue}
                  - include: no-such-scenario
                """, "bad.yaml", "bad"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString).containsExactly(
                                "colour: unknown key (expected one of: name, description, providers, blockInterval, "
                                        + "load, phases)",
                                "load.readers: 0 (expected: >= 1)",
                                "phases[0].duration: \"soon\" (expected: a duration such as 500ms or 10s)",
                                "phases[1].faults.gamma: unknown key (expected one of: alpha, beta)",
                                "phases[1].faults.alpha[0].status: 418 (expected: one of 500, 502, 520..526, 530)",
                                "phases[1].faults.alpha[1].type: \"teapot\" (expected: " + dev.outlast.drill.FaultJson.TYPES
                                        + ")",
                                "phases[1].faults.alpha[2].colour: unknown key (expected one of: type, p, delayMs, "
                                        + "jitterMs)",
                                "phases[2].include: \"no-such-scenario\" (expected: the name of a built-in scenario)"));
    }

    @Test
    void aPhaseNeedsANameAndADuration() {
        assertThatThrownBy(() -> ScenarioLoader.parse("phases: [{faults: {}}]", "p.yaml", "p"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("p.yaml: phases[0].name: missing (expected: a name of lower-case letters, digits and -)\n"
                            + "p.yaml: phases[0].duration: missing (expected: a duration such as 500ms or 10s)");
    }

    @Test
    void everyBuiltInLoadsWithADescriptionAndFaultsOnlyForItsProviders() {
        List<Scenario> all = ScenarioLoader.builtIns();

        assertThat(all).extracting(Scenario::name).containsExactlyElementsOf(ScenarioLoader.BUILT_IN);
        for (Scenario s : all) {
            assertThat(s.description()).as(s.name()).isNotBlank();
            assertThat(s.phases()).as(s.name()).hasSizeGreaterThan(2);
            assertThat(s.phases().getFirst().faults()).as(s.name() + " starts healthy").isEmpty();
            assertThat(s.phases().getLast().faults()).as(s.name() + " ends recovered").isEmpty();
            assertThat(s.phases().stream().filter(p -> !p.faultsOf("alpha").isEmpty())).as(s.name()
                    + ": the direct load talks to alpha, which must fail at some point").isNotEmpty();
        }
    }

    @Test
    void everythingPlaysEveryOtherBuiltInInTurn() {
        Scenario everything = ScenarioLoader.builtIn("everything").orElseThrow();
        List<Scenario.Phase> expected = Stream.of("cloudflare-5xx", "rolling-maintenance", "partition",
                        "aws-zero-balances")
                .flatMap(n -> ScenarioLoader.builtIn(n).orElseThrow().phases().stream()
                        .map(p -> new Scenario.Phase(n + "/" + p.name(), p.description(), p.duration(), p.faults())))
                .toList();

        assertThat(everything.phases()).isEqualTo(expected);
    }

    @Test
    void phaseLengthShortensEveryPhase() {
        Scenario s = ScenarioLoader.builtIn("partition").orElseThrow().withPhaseLength(Duration.ofSeconds(2));

        assertThat(s.phases()).allSatisfy(p -> assertThat(p.duration()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(2L * s.phases().size()));
    }

    @Test
    void resolvesABuiltInNameOrAFileAndRefusesAnythingElse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("short-one.yaml");
        Files.writeString(file, "phases: [{name: a, duration: 1s}]\n");

        assertThat(ScenarioLoader.resolve("partition").name()).isEqualTo("partition");
        assertThat(ScenarioLoader.resolve(file.toString()).name()).isEqualTo("short-one");
        assertThatThrownBy(() -> ScenarioLoader.resolve("cloudflare"))
                .hasMessage("cloudflare: no such scenario (expected: cloudflare-5xx, aws-zero-balances, "
                            + "rolling-maintenance, partition, everything, or a YAML file)");
        assertThatThrownBy(() -> ScenarioLoader.resolve(dir.resolve("missing.yaml").toString()))
                .hasMessageEndingWith("missing.yaml: no such file");
    }
}
