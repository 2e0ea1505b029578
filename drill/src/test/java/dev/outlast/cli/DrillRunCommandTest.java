package dev.outlast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlast.drill.frontdoor.CdnOutage;
import dev.outlast.drill.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outlast drill list} and {@code outlast drill run}, in process: output, exit codes, reports. */
class DrillRunCommandTest {

    private static final String SURVIVABLE = """
            description: alpha serves Cloudflare 522 pages; beta and gamma are fine
            load: {readers: 2, transfersPerSecond: 1}
            phases:
              - name: calm
                duration: 2s
              - name: edge-down
                duration: 2s
                faults:
                  alpha: [{type: cloudflare, status: 522}]
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listShowsEveryBuiltInScenarioWithItsDescriptionAndTheCdnOutageLast() {
        int exit = run("drill", "list");

        assertThat(exit).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(ScenarioLoader.BUILT_IN.size() + 1);
        for (int i = 0; i < ScenarioLoader.BUILT_IN.size(); i++) {
            String name = ScenarioLoader.BUILT_IN.get(i);
            assertThat(lines[i]).startsWith(name + " ")
                    .contains(ScenarioLoader.builtIn(name).orElseThrow().description())
                    .containsPattern("\\(\\d+ phases, \\d+ s\\)$");
        }
        assertThat(lines[lines.length - 1]).startsWith("cdn-outage ").contains(CdnOutage.DESCRIPTION)
                .endsWith("(5 phases, 80 s)");
    }

    @Test
    void runWritesTheTableAndAReportAndExitsZeroWhenOutlastServedEverythingRight() throws Exception {
        Path scenario = write("edge.yaml", SURVIVABLE);
        Path report = dir.resolve("report");

        int exit = run("drill", "run", scenario.toString(), "--report", report.toString());

        String output = out.toString();
        assertThat(exit).as(output + err).isZero();
        assertThat(output).startsWith("Drill edge: alpha serves Cloudflare 522 pages; beta and gamma are fine\n")
                .containsPattern("(?m)^phase +path +requests +errors +wrong +p50 ms +p99 ms +max ms$")
                .containsPattern("(?m)^1 calm +outlast +\\d+ +0 +0 ")
                .containsPattern("(?m)^2 edge-down +outlast +[1-9]\\d* +0 +0 ")
                .containsPattern("(?m)^ +direct +[1-9]\\d* +[1-9]\\d* +0 ")
                .contains("PASS: through Outlast 0 errors, 0 wrong values");
        assertThat(err.toString()).contains("[2/2 edge-down ");

        JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("edge");
        assertThat(json.path("passed").asBoolean()).isTrue();
        assertThat(json.path("phases")).hasSize(2);
        assertThat(json.path("phases").get(1).path("faults").path("alpha").get(0).path("type").asText())
                .isEqualTo("cloudflare");
        assertThat(json.path("phases").get(1).path("direct").path("errors").asLong()).isPositive();
        assertThat(json.path("phases").get(1).path("direct").path("samples").get(0).asText())
                .contains("HTTP 522 (server: cloudflare)");
        assertThat(json.path("timeline").path("outlast").size()).isGreaterThanOrEqualTo(4);
        String html = Files.readString(report.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("edge-down").contains("</html>")
                .doesNotContain("<script").doesNotContain("src=").doesNotContain("<link");
    }

    @Test
    void runExitsOneAndShowsTheFailuresWhenOutlastHasNoProviderLeft() throws Exception {
        Path scenario = write("alone.yaml", """
                providers: 1
                load: {readers: 1, transfersPerSecond: 0}
                phases:
                  - name: down
                    duration: 2s
                    faults:
                      alpha: [{type: cloudflare, status: 522}]
                """);

        int exit = run("drill", "run", scenario.toString());

        assertThat(exit).as(out.toString() + err).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL: through Outlast ").contains("Through Outlast, first failures by phase:")
                .containsPattern("down:\\n  eth_\\w+: JSON-RPC error -320\\d\\d ");
    }

    @Test
    void unknownScenarioIsAUsageErrorNamingTheBuiltIns() {
        int exit = run("drill", "run", "cloudflare");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("cloudflare: no such scenario (expected: cloudflare-5xx, "
                                            + "aws-zero-balances, rolling-maintenance, partition, everything, or a "
                                            + "YAML file)");
    }

    @Test
    void badScenarioFileIsAUsageErrorWithTheYamlPath() throws Exception {
        Path scenario = write("bad.yaml", "phases:\n  - name: a\n    duration: 2 seconds\n");

        int exit = run("drill", "run", scenario.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(scenario + ": phases[0].duration: \"2 seconds\" (expected: a duration "
                                            + "such as 500ms or 10s)");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("drill", "run", "partition", "--phase-seconds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--phase-seconds: 0 (expected: 1..3600)");
        assertThat(run("drill", "run")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'SCENARIO|FILE.yaml'");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private int run(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(), args);
    }
}
