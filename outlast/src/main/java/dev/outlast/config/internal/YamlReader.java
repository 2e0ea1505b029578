package dev.outlast.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a Jackson tree, or reports why it cannot.
 *
 * <p>A first streaming pass finds what the tree would hide: syntax errors (with line and column),
 * duplicate keys, aliases (Jackson's tree turns {@code *name} into the string {@code "name"}, so
 * they are refused) and a second document (which the tree would silently drop). Only a clean text
 * is read into a tree, in a second pass.
 */
public final class YamlReader {

    private static final YAMLMapper MAPPER =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private YamlReader() {
    }

    /**
     * The document as the root {@link Node} to bind (an empty mapping when the text holds no
     * document), reading strings with {@code env}; empty after reporting why it cannot be read.
     */
    public static Optional<Node> document(String yaml, java.util.Map<String, String> env, Problems problems) {
        return read(yaml, problems).map(tree -> Node.root(tree.isMissingNode() || tree.isNull()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : tree, env, problems));
    }

    /** The document's tree ({@link MissingNode} when the text holds no document), or empty after reporting. */
    public static Optional<JsonNode> read(String yaml, Problems problems) {
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        int errors = problems.errorCount();
        try {
            scan(text, problems);
            if (problems.errorCount() > errors) {
                return Optional.empty();
            }
            JsonNode root = MAPPER.readTree(text);
            return Optional.of(root == null ? MissingNode.getInstance() : root);
        } catch (JsonProcessingException e) {
            problems.error("", syntaxMessage(e));
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void scan(String text, Problems problems) throws IOException {
        try (YAMLParser parser = (YAMLParser) MAPPER.createParser(text)) {
            int depth = 0;
            int documents = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (depth == 0 && ++documents == 2) {
                    problems.error("", at(parser.currentTokenLocation())
                                       + "a second YAML document (expected: one document)");
                    return;
                }
                if (parser.isCurrentAlias()) {
                    problems.error(path(parser.getParsingContext()),
                                   "*" + parser.getText() + " (expected: a value written out; YAML aliases are "
                                   + "not supported)");
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        }
    }

    private static String syntaxMessage(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null
            && marked.getProblemMark() != null) {
            StringBuilder message = new StringBuilder(at(marked.getProblemMark()))
                    .append("invalid YAML: ").append(marked.getProblem());
            if (marked.getContext() != null && marked.getContextMark() != null) {
                Mark context = marked.getContextMark();
                message.append(" (").append(marked.getContext()).append(" at line ").append(context.getLine() + 1)
                       .append(", column ").append(context.getColumn() + 1).append(')');
            }
            return message.toString();
        }
        String original = e.getOriginalMessage();
        int newline = original.indexOf('\n');
        String firstLine = newline < 0 ? original : original.substring(0, newline);
        if (firstLine.startsWith("Duplicate field ")) {
            firstLine = "duplicate key " + firstLine.substring("Duplicate field ".length());
        }
        return (e.getLocation() == null ? "" : at(e.getLocation())) + "invalid YAML: " + firstLine;
    }

    private static String at(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    }

    private static String at(JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    /** The YAML path of the current token, e.g. {@code chains[0].upstreams[1].url}. */
    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, (c.getParent() != null && !c.getParent().inRoot() ? "." : "") + c.getCurrentName());
            }
        }
        return path.toString();
    }
}
