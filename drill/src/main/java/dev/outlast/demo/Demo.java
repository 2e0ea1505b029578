package dev.outlast.demo;

import dev.outlast.drill.frontdoor.CdnOutage;
import dev.outlast.drill.frontdoor.CdnOutageReport;
import dev.outlast.drill.frontdoor.CdnOutageResult;
import dev.outlast.drill.scenario.Scenario;
import dev.outlast.drill.scenario.ScenarioLoader;
import dev.outlast.drill.scenario.ScenarioResult;
import dev.outlast.drill.scenario.ScenarioRunner;
import dev.outlast.drill.sim.DevAccount;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * {@code outlast demo}: the drill's {@link ScenarioRunner} with the gateway on a fixed address, playing
 * one scenario ({@value #DEFAULT_SCENARIO} by default: every built-in outage in turn) in a loop, with
 * a {@link LiveSummary} of what each provider is doing and what the client sees, through Outlast and
 * directly from the first provider; after each round, the {@link CdnOutage} drill (a site's hostname
 * steered across two CDNs through Outlast's DNS), on a second Outlast at a free port.
 *
 * <p>Lifecycle: {@link #start}, {@link #run} (on one thread), {@link #stop()} (from any thread, e.g. a
 * shutdown hook) makes {@code run} return, {@link #close()} closes everything. Not otherwise
 * thread-safe.
 */
public final class Demo implements AutoCloseable {

    /** The scenario the demo loops. */
    public static final String DEFAULT_SCENARIO = "everything";

    private final ScenarioRunner runner;
    private final Scenario scenario;
    private final CdnOutage cdn;
    private volatile boolean stopped;

    private Demo(ScenarioRunner runner, Scenario scenario, CdnOutage cdn) {
        this.runner = runner;
        this.scenario = scenario;
        this.cdn = cdn;
    }

    /**
     * Starts the chain, providers, proxies and the gateway listening on {@code host:port} (0: a free
     * port) for the built-in scenario {@code scenarioName}, every phase lasting {@code phaseLength}
     * (null: as the scenario says). On failure (e.g. the port is taken) closes what it started and
     * rethrows.
     *
     * @throws IllegalArgumentException if there is no such built-in scenario
     */
    public static Demo start(String host, int port, String scenarioName, Duration phaseLength) {
        return start(host, port, scenarioName, phaseLength, true);
    }

    /** As {@link #start(String, int, String, Duration)}, with or without the {@link CdnOutage} round. */
    public static Demo start(String host, int port, String scenarioName, Duration phaseLength, boolean cdnOutage) {
        Scenario scenario = ScenarioLoader.builtIn(scenarioName).orElseThrow(() -> new IllegalArgumentException(
                "scenario: \"" + scenarioName + "\" (expected: one of " + String.join(", ", ScenarioLoader.BUILT_IN)
                + ")"));
        if (phaseLength != null) {
            scenario = scenario.withPhaseLength(phaseLength);
        }
        ScenarioRunner runner = ScenarioRunner.start(scenario, host, port);
        try {
            return new Demo(runner, scenario, cdnOutage ? CdnOutage.start("127.0.0.1", 0) : null);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /** {@code http://host:port}, with the port actually bound. */
    public String baseUrl() {
        return runner.baseUrl();
    }

    /** Prints what runs, the URLs to look at and a request to try. */
    public void printIntro(PrintWriter out) {
        DevAccount first = runner.chain().accounts().getFirst();
        String base = runner.baseUrl();
        out.println("Outlast demo: a simulated chain (id " + ScenarioRunner.CHAIN_ID + ", a block every "
                    + scenario.blockInterval().toMillis() / 1000.0 + " s) served by "
                    + String.join(", ", scenario.providers()) + ", each behind a fault proxy; Outlast in front of "
                    + "them all.");
        out.println("RPC URL:   " + runner.rpcUri());
        out.println("Status:    " + base + "/status");
        out.println("Upstreams: " + base + "/api/v1/upstreams");
        out.println("Metrics:   " + base + "/metrics");
        out.println("Try:       curl -s -H 'content-type: application/json' " + runner.rpcUri() + " -d '{\"jsonrpc\":"
                    + "\"2.0\",\"id\":1,\"method\":\"eth_getBalance\",\"params\":[\"" + first.address()
                    + "\",\"latest\"]}'");
        out.println("Faults:    " + runner.proxies().stream()
                .map(p -> scenario.providers().get(runner.proxies().indexOf(p)) + " " + p.uri() + "_drill/faults")
                .collect(Collectors.joining(", ")) + " (the scenario overwrites them each phase)");
        out.println("Scenario:  " + scenario.name() + ": " + scenario.description() + ", " + scenario.phases().size()
                    + " phases, " + scenario.duration().toSeconds() + " s a cycle.");
        out.println("A wallet-like client reads block numbers, balances, nonces and blocks and sends transfers, "
                    + "through Outlast and directly to " + scenario.providers().getFirst() + ", and checks every "
                    + "answer against the chain's ledger. Ctrl-C to stop.");
        if (cdn != null) {
            out.println("Then:      " + CdnOutage.NAME + ": " + CdnOutage.HOSTNAME + " steered across two CDN edges by "
                        + "a second Outlast (status " + cdn.baseUrl() + "/status, front doors " + cdn.baseUrl()
                        + "/api/v1/frontdoors, DNS at " + cdn.dnsAddress() + "): " + CdnOutage.DESCRIPTION + ", "
                        + CdnOutage.length().toSeconds() + " s.");
        }
        out.flush();
    }

    /**
     * Plays the scenario {@code cycles} times (0: until {@link #stop()}), restarting the gateway between
     * rounds (see {@link ScenarioRunner#restartGateway()}). Returns when done or stopped.
     */
    public void run(PrintWriter out, int cycles) {
        for (int n = 0; !stopped && (cycles == 0 || n < cycles); n++) {
            if (n > 0) {
                runner.restartGateway();
                out.println("== cycle " + (n + 1) + ": a fresh gateway on the same address, so that no quarantine "
                            + "from the last round carries over");
                out.flush();
            }
            ScenarioResult result = runner.play(scenario, new LiveSummary(out, n + 1));
            out.println("== cycle " + (n + 1) + ": a newHeads subscription through Outlast got "
                    + result.heads().line());
            out.flush();
            if (!result.complete() || cdn != null && !playCdnOutage(out, n + 1)) {
                return;
            }
        }
    }

    /** Plays the CDN outage once, a progress line a second and the table at the end; false when stopped. */
    private boolean playCdnOutage(PrintWriter out, int cycle) {
        out.println("== cycle " + cycle + ", " + CdnOutage.NAME + ": " + CdnOutage.DESCRIPTION);
        out.flush();
        CdnOutageResult result = cdn.play(line -> {
            out.println(line);
            out.flush();
        });
        out.print(CdnOutageReport.table(result));
        out.print(CdnOutageReport.moves(result));
        out.println(CdnOutageReport.verdict(result));
        out.flush();
        return result.complete();
    }

    /** Makes {@link #run} return soon; safe from any thread. */
    public void stop() {
        stopped = true;
        runner.stop();
        if (cdn != null) {
            cdn.stop();
        }
    }

    /** Closes the gateway, the proxies and the chain with its providers. */
    @Override
    public void close() {
        stop();
        runner.close();
        if (cdn != null) {
            cdn.close();
        }
    }
}
