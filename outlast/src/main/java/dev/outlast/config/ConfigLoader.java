package dev.outlast.config;

import dev.outlast.config.internal.ConfigBinder;
import dev.outlast.config.internal.Problems;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads an {@link OutlastConfig} from YAML.
 *
 * <p>Every string value may use {@code ${NAME}} to insert an environment variable ({@code $${}
 * writes a literal {@code ${}). Unknown keys, missing required keys, values of the wrong form and
 * cross-field conflicts are all collected in one pass and thrown together as a
 * {@link ConfigException}, each problem starting with its YAML path
 * ({@code chains[0].upstreams[1].url: "htp://x" (expected: http or https URL)}). Messages show
 * values as written in the file, so a secret from the environment never appears in them.
 * Every key not in the file takes the {@code DEFAULT_*} constant of its record.
 *
 * <p>Thread-safe (stateless).
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * A usable configuration and what is worth a warning in it (for example a chain with a single
     * upstream, whose answers consensus then cannot check).
     */
    public record Result(OutlastConfig config, List<ConfigProblem> warnings) {

        public Result {
            Objects.requireNonNull(config, "config");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Loads {@code file}, interpolating from {@link System#getenv()}.
     *
     * @throws ConfigException with every problem, or the one reason the file cannot be read
     */
    public static OutlastConfig load(Path file) {
        return loadWithWarnings(file, System.getenv()).config();
    }

    /**
     * Loads {@code file}, interpolating from {@code env}, and returns the warnings too.
     *
     * @throws ConfigException with every problem, or the one reason the file cannot be read
     */
    public static Result loadWithWarnings(Path file, Map<String, String> env) {
        String sourceName = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fileProblem(sourceName, "no such file");
        } catch (AccessDeniedException e) {
            throw fileProblem(sourceName, "permission denied");
        } catch (MalformedInputException e) {
            throw fileProblem(sourceName, "not UTF-8 text");
        } catch (IOException e) {
            throw fileProblem(sourceName, Files.isDirectory(file) ? "is a directory"
                                                                  : "cannot be read (" + e.getMessage() + ")");
        }
        return parseWithWarnings(yaml, env, sourceName);
    }

    /**
     * Parses {@code yaml}, interpolating from {@code env}.
     *
     * @param sourceName names the source in the exception message, e.g. the file name
     * @throws ConfigException with every problem
     */
    public static OutlastConfig parse(String yaml, Map<String, String> env, String sourceName) {
        return parseWithWarnings(yaml, env, sourceName).config();
    }

    /**
     * Parses {@code yaml}, interpolating from {@code env}, and returns the warnings too.
     *
     * @param sourceName names the source in the exception message, e.g. the file name
     * @throws ConfigException with every problem
     */
    public static Result parseWithWarnings(String yaml, Map<String, String> env, String sourceName) {
        Problems problems = new Problems();
        OutlastConfig config = ConfigBinder.bind(yaml, env, problems);
        if (config == null || !problems.errors().isEmpty()) {
            throw new ConfigException(sourceName, problems.errors());
        }
        return new Result(config, problems.warnings());
    }

    private static ConfigException fileProblem(String sourceName, String message) {
        return new ConfigException(sourceName, List.of(new ConfigProblem("", message)));
    }
}
