package dev.outlast.cli;

import dev.outlast.config.ConfigLoader;
import dev.outlast.config.ConfigProblem;
import dev.outlast.config.OutlastConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outlast validate --config FILE}: prints {@code FILE: ok (N chains, M upstreams)} (and the
 * sites and origins when there are some) and any
 * warnings and exits 0, or prints every problem with its YAML path to stderr and exits 2.
 */
@Command(name = "validate", description = "Check a config file: print every problem with its YAML path.")
final class ValidateCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
    private Path config;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ConfigLoader.Result> loaded = ConfigFiles.load(config, main.env(), err);
        if (loaded.isEmpty()) {
            return Main.EXIT_INVALID;
        }
        for (ConfigProblem warning : loaded.get().warnings()) {
            err.println(config + ": warning: " + warning);
        }
        err.flush();
        OutlastConfig c = loaded.get().config();
        int upstreams = c.chains().stream().mapToInt(chain -> chain.upstreams().size()).sum();
        String sites = "";
        if (!c.sites().isEmpty()) {
            int origins = c.sites().stream().mapToInt(site -> site.origins().size()).sum();
            sites = ", " + count(c.sites().size(), "site") + ", " + count(origins, "origin");
        }
        out.println(config + ": ok (" + count(c.chains().size(), "chain") + ", " + count(upstreams, "upstream") + sites
                    + ")");
        out.flush();
        return 0;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
