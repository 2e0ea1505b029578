package dev.outlast.cli;

import dev.outlast.config.ConfigException;
import dev.outlast.config.ConfigLoader;
import dev.outlast.config.ConfigProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Loads a config file for a command, printing its problems the one way every command prints them. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    /**
     * The configuration in {@code file}, or empty after printing every problem to {@code err}, one
     * per line, as {@code FILE: PATH: MESSAGE}.
     */
    static Optional<ConfigLoader.Result> load(Path file, Map<String, String> env, PrintWriter err) {
        try {
            return Optional.of(ConfigLoader.loadWithWarnings(file, env));
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(file + ": " + problem);
            }
            err.flush();
            return Optional.empty();
        }
    }
}
