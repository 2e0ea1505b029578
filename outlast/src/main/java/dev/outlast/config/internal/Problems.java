package dev.outlast.config.internal;

import dev.outlast.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the errors and warnings of one load, in the order they are found.
 *
 * <p>Not thread-safe: one instance per load.
 */
public final class Problems {

    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    /** Every error so far. */
    public List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    /** Every warning so far. */
    public List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    public int errorCount() {
        return errors.size();
    }

    void error(String path, String message) {
        errors.add(new ConfigProblem(path, message));
    }

    void warn(String path, String message) {
        warnings.add(new ConfigProblem(path, message));
    }
}
