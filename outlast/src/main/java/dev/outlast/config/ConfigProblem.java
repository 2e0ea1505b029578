package dev.outlast.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file, or one thing worth a warning.
 *
 * @param path    where in the YAML, e.g. {@code chains[0].upstreams[1].url}; empty when the problem
 *                concerns the whole file (unreadable, not YAML), then the message says the line
 * @param message what is wrong, usually {@code VALUE (expected: WHAT)}; it shows the value as written
 *                in the file, never what {@code ${ENV}} interpolation made of it
 */
public record ConfigProblem(String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code path: message}, or just the message when the path is empty. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
