package dev.outlast.config;

import dev.outlast.config.internal.Problems;
import dev.outlast.config.internal.YamlReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML text read to be bound by hand with the configuration's rules, for files other than the
 * configuration (the drill's scenarios): {@code ${VAR}} interpolation, unknown keys refused, and every
 * problem recorded at its YAML path ({@code phases[2].faults.alpha[0].status: 418 (expected: ...)}) while
 * binding goes on, so one pass finds them all. Walk it from {@link #root()}; when done, a non-zero
 * {@link #errorCount()} means the text cannot be used, and {@link #errors()} says why, ready for a
 * {@link ConfigException}.
 *
 * <p>Syntax errors (with line and column), duplicate keys, YAML aliases and a second document are
 * refused when the text is read. Problems show values as written, never what interpolation made of them.
 *
 * <p>Not thread-safe: one document per load, walked on one thread.
 */
public final class YamlDocument {

    private final Problems problems = new Problems();
    private final YamlNode root;

    private YamlDocument(String yaml, Map<String, String> env) {
        this.root = YamlReader.document(yaml, env, problems).map(YamlNode::new).orElse(null);
    }

    /** Reads {@code yaml}; {@code ${VAR}} in its strings is taken from {@code env} as they are read. */
    public static YamlDocument read(String yaml, Map<String, String> env) {
        return new YamlDocument(yaml, env);
    }

    /**
     * The root node (an empty mapping when the text holds no document), or empty when the text
     * cannot be read; {@link #errors()} then says why.
     */
    public Optional<YamlNode> root() {
        return Optional.ofNullable(root);
    }

    /** Every error recorded so far, in the order found. */
    public List<ConfigProblem> errors() {
        return problems.errors();
    }

    /** How many errors have been recorded so far. */
    public int errorCount() {
        return problems.errorCount();
    }
}
