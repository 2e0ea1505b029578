package dev.outlast.cli;

import dev.outlast.config.ConfigLoader;
import dev.outlast.config.ConfigProblem;
import dev.outlast.config.OutlastConfig;
import dev.outlast.server.OutlastServer;
import dev.outlast.store.StoreException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outlast serve --config FILE}: loads the config (exit 2 with every problem if it is
 * invalid), starts the server, and runs until the process is told to stop, closing the server on
 * the way out.
 */
@Command(name = "serve", description = "Run the gateway from a config file until stopped.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
    private Path config;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Optional<ConfigLoader.Result> loaded = ConfigFiles.load(config, main.env(), spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return Main.EXIT_INVALID;
        }
        for (ConfigProblem warning : loaded.get().warnings()) {
            logger.warn("{}: {}", config, warning);
        }
        OutlastConfig outlast = loaded.get().config();
        OutlastServer server;
        try {
            server = OutlastServer.start(outlast);
        } catch (StoreException e) {
            spec.commandLine().getErr().println("outlast: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            spec.commandLine().getErr().println("outlast: cannot listen on " + outlast.server().hostForUrl() + ':'
                    + outlast.server().port() + ": " + cause.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "outlast-shutdown"));
        server.awaitClose();
        return 0;
    }
}
