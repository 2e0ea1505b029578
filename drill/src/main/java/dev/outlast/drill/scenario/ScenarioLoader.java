package dev.outlast.drill.scenario;

import dev.outlast.config.ConfigException;
import dev.outlast.config.ConfigProblem;
import dev.outlast.config.YamlDocument;
import dev.outlast.drill.scenario.internal.ScenarioBinder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@link Scenario}s: the built-in ones (classpath resources) and YAML files.
 *
 * <pre>
 * name: my-outage                 # default: the file name without .yaml
 * description: alpha serves 522s, beta is slow
 * providers: 3                    # or a list of names; default 3: alpha, beta, gamma
 * blockInterval: 1s               # default 1s
 * load:
 *   readers: 4                    # concurrent readers per path, default 4
 *   transfersPerSecond: 2         # signed transfers per second per path, default 2
 * phases:
 *   - name: healthy
 *     duration: 10s
 *   - name: edge-errors
 *     description: alpha serves Cloudflare 522 pages
 *     duration: 20s
 *     faults:                     # by provider; the fault proxy's JSON form, written in YAML
 *       alpha: [{type: cloudflare, status: 522}]
 *       beta:  [{type: error_rate, status: 503, p: 0.3}]
 *   - include: partition          # the phases of a built-in scenario
 * </pre>
 *
 * Problems are reported like the configuration's, each with its YAML path, all at once, as a
 * {@link ConfigException}. Stateless and thread-safe.
 */
public final class ScenarioLoader {

    /** The built-in scenarios, in the order {@code drill list} shows them. */
    public static final List<String> BUILT_IN = List.of("cloudflare-5xx", "aws-zero-balances", "rolling-maintenance",
            "partition", "everything");

    private ScenarioLoader() {
    }

    /** Every built-in scenario, in {@link #BUILT_IN} order. */
    public static List<Scenario> builtIns() {
        return BUILT_IN.stream().map(n -> builtIn(n).orElseThrow()).toList();
    }

    /** The built-in scenario {@code name}, if there is one. */
    public static Optional<Scenario> builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            return Optional.empty();
        }
        String resource = name + ".yaml";
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario resource missing: " + resource);
            }
            return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A built-in name, or else a YAML file.
     *
     * @throws ConfigException naming the problem: an unknown name, an unreadable file, or every problem in it
     */
    public static Scenario resolve(String nameOrFile) {
        Optional<Scenario> builtIn = builtIn(nameOrFile);
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        Path file = Path.of(nameOrFile);
        if (!nameOrFile.endsWith(".yaml") && !nameOrFile.endsWith(".yml") && !Files.exists(file)) {
            throw new ConfigException(nameOrFile, List.of(new ConfigProblem("", "no such scenario (expected: "
                    + String.join(", ", BUILT_IN) + ", or a YAML file)")));
        }
        return load(file);
    }

    /** Reads a scenario file; its name defaults to the file name without the extension. */
    public static Scenario load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw problem(file.toString(), "no such file");
        } catch (MalformedInputException e) {
            throw problem(file.toString(), "not UTF-8 text");
        } catch (IOException e) {
            throw problem(file.toString(), Files.isDirectory(file) ? "is a directory"
                    : "cannot be read (" + e.getMessage() + ")");
        }
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(yaml, file.toString(), base.matches("[a-z0-9][a-z0-9-]*") ? base : "scenario");
    }

    /**
     * Parses scenario YAML.
     *
     * @param sourceName   names the source in problems, e.g. the file name
     * @param fallbackName the scenario's name if the text has no {@code name}
     */
    public static Scenario parse(String yaml, String sourceName, String fallbackName) {
        YamlDocument document = YamlDocument.read(yaml, System.getenv());
        Scenario scenario = ScenarioBinder.bind(document, fallbackName,
                name -> name.equals(fallbackName) ? Optional.empty() : builtIn(name));
        if (scenario == null || document.errorCount() > 0) {
            throw new ConfigException(sourceName, document.errors());
        }
        return scenario;
    }

    private static ConfigException problem(String source, String message) {
        return new ConfigException(source, List.of(new ConfigProblem("", message)));
    }
}
