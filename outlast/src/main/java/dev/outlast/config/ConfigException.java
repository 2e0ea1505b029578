package dev.outlast.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found in it, in order of appearance.
 *
 * <p>The message has one line per problem, each prefixed by the source name
 * ({@code config.yaml: chains[0].chainId: missing (expected: a positive integer)}). No message
 * contains a value produced by {@code ${ENV}} interpolation.
 */
public final class ConfigException extends RuntimeException {

    private final String sourceName;
    private final List<ConfigProblem> problems;

    public ConfigException(String sourceName, List<ConfigProblem> problems) {
        super(message(sourceName, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one problem)");
        }
        this.sourceName = sourceName;
        this.problems = List.copyOf(problems);
    }

    /** The file name (or other source name) the problems were found in. */
    public String sourceName() {
        return sourceName;
    }

    /** Every problem, in order of appearance in the source; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(String sourceName, List<ConfigProblem> problems) {
        return problems.stream().map(p -> sourceName + ": " + p).collect(Collectors.joining("\n"));
    }
}
