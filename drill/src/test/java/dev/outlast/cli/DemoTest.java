package dev.outlast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code outlast demo} for one short cycle, in process. The demo loops the {@code everything}
 * scenario; to stay short the test loops {@code aws-zero-balances} (one of its parts) with 2 s phases,
 * without the CDN outage round ({@code CdnOutageIT} plays that drill).
 */
class DemoTest {

    private static final Pattern SUMMARY = Pattern.compile("\\[([a-z0-9-]+)] end of phase: through outlast: "
            + "(\\d+) ok, (\\d+) errors, (\\d+) wrong \\| direct to alpha: (\\d+) ok, (\\d+) errors, (\\d+) wrong");
    private static final List<String> PHASES = List.of("healthy", "zero-balances", "still-lying", "recovered");
    private static final List<String> FAULTY = List.of("zero-balances", "still-lying");

    /** ok, errors and wrong through Outlast, then the same direct to alpha. */
    private record Counts(long[] outlast, long[] direct) {
    }

    @Test
    void outlastServesNoErrorAndNoWrongAnswerWhileAlphaLies() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(),
                "demo", "--listen", "127.0.0.1:0", "--cycles", "1", "--phase-seconds", "2",
                "--scenario", "aws-zero-balances", "--cdn-outage", "false");

        String output = out.toString();
        assertThat(exit).as(output + err).isZero();
        assertThat(output).containsPattern("RPC URL: +http://127\\.0\\.0\\.1:[1-9]\\d*/rpc/devnet")
                .containsPattern("Status: +http://127\\.0\\.0\\.1:[1-9]\\d*/status")
                .containsPattern("Upstreams: +http://127\\.0\\.0\\.1:[1-9]\\d*/api/v1/upstreams")
                .contains("\"method\":\"eth_getBalance\"")
                .contains("Scenario:  aws-zero-balances: ")
                .containsPattern("\\[zero-balances] alpha: 10% aws-elb 503, lies \\(0x0 balance, nonce\\) \\| beta: "
                                 + "latency p50 600 p99 2000 ms \\| through outlast: .*"
                                 + "\\| upstreams: alpha \\w+, beta \\w+, gamma \\w+");
        Map<String, Counts> phases = summaries(output);
        assertThat(phases.keySet()).as(output).containsExactlyElementsOf(PHASES);
        phases.forEach((phase, counts) -> {
            assertThat(counts.outlast()[0]).as(phase + " ok through outlast\n" + output).isPositive();
            assertThat(counts.outlast()[1]).as(phase + " errors through outlast\n" + output).isZero();
            assertThat(counts.outlast()[2]).as(phase + " wrong through outlast\n" + output).isZero();
        });
        for (String phase : FAULTY) {
            long[] direct = phases.get(phase).direct();
            assertThat(direct[1] + direct[2]).as(phase + " errors or wrong direct to alpha\n" + output).isPositive();
        }
        assertThat(phases.get("zero-balances").direct()[2]).as("wrong answers from the lying alpha").isPositive();
        assertThat(phases.get("healthy").direct()[1] + phases.get("healthy").direct()[2]).isZero();
    }

    @Test
    void badListenIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(), "demo", "--listen", "localhost");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--listen: \"localhost\" (expected: host:port)");
    }

    private static Map<String, Counts> summaries(String output) {
        Map<String, Counts> phases = new LinkedHashMap<>();
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            phases.put(m.group(1), new Counts(
                    new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))},
                    new long[] {Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7))}));
        }
        return phases;
    }
}
