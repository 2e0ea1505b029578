package dev.outlast.drill.cli;

import dev.outlast.cli.ListenAddress;
import dev.outlast.cli.StopOnSignal;
import dev.outlast.demo.Demo;
import dev.outlast.drill.scenario.ScenarioLoader;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code outlast demo}: runs {@link Demo} until Ctrl-C (or {@code --cycles N} cycles of its scenario),
 * then closes everything and exits 0. Exit 2 for bad options, 1 when the address cannot be bound.
 * Hidden options for tests: {@code --scenario NAME} loops another built-in scenario,
 * {@code --phase-seconds N} shortens every phase, {@code --cdn-outage false} leaves out the CDN outage round.
 */
@Command(name = "demo", sortOptions = false,
         description = {"See Outlast at work with no setup: a simulated chain behind three providers, the gateway "
                        + "in front of them, and every built-in outage scenario in turn (Cloudflare and other edge "
                        + "5xx pages, error rates, zero-balance lies, slow, lagging, resetting and black-holed "
                        + "providers, rolling maintenance) while a client checks every answer through Outlast and "
                        + "directly from one provider; after each round, a CDN outage in front of a site whose "
                        + "hostname Outlast steers through DNS. Loopback only; Ctrl-C to stop."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--listen", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "where the gateway listens (port 0: a free port, printed); default ${DEFAULT-VALUE}")
    private String listen;

    @Option(names = "--cycles", defaultValue = "0", paramLabel = "N",
            description = "stop after N cycles of the scenario; default 0: run until stopped")
    private int cycles;

    @Option(names = "--phase-seconds", hidden = true, description = "make every phase last N seconds")
    private Integer phaseSeconds;

    @Option(names = "--cdn-outage", hidden = true, defaultValue = "true", arity = "1",
            description = "play the cdn-outage drill after each round")
    private boolean cdnOutage;

    @Option(names = "--scenario", hidden = true, defaultValue = Demo.DEFAULT_SCENARIO,
            description = "the built-in scenario to loop")
    private String scenario;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ListenAddress address = ListenAddress.parseOption(spec, "--listen", listen);
        if (cycles < 0) {
            throw new ParameterException(spec.commandLine(), "--cycles: " + cycles + " (expected: >= 0)");
        }
        if (phaseSeconds != null && phaseSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--phase-seconds: " + phaseSeconds + " (expected: >= 1)");
        }
        if (!ScenarioLoader.BUILT_IN.contains(scenario)) {
            throw new ParameterException(spec.commandLine(), "--scenario: \"" + scenario + "\" (expected: one of "
                                                             + String.join(", ", ScenarioLoader.BUILT_IN) + ")");
        }
        Demo demo;
        try {
            demo = Demo.start(address.host(), address.address().getPort(), scenario,
                              phaseSeconds == null ? null : Duration.ofSeconds(phaseSeconds), cdnOutage);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            spec.commandLine().getErr().println("outlast: cannot listen on " + listen + ": " + cause.getMessage());
            return 1;
        }
        StopOnSignal signal = StopOnSignal.install(demo::stop, 10, "outlast-demo-shutdown");
        try {
            demo.printIntro(spec.commandLine().getOut());
            demo.run(spec.commandLine().getOut(), cycles);
        } finally {
            demo.close();
            signal.close();
        }
        return 0;
    }
}
