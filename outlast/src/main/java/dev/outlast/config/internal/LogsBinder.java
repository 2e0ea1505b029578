package dev.outlast.config.internal;

import dev.outlast.config.LogsConfig;
import java.util.List;
import java.util.Optional;

/** Binds a chain's {@code getLogs}. */
final class LogsBinder {

    private static final List<String> KEYS = List.of("maxBlockRange", "maxChunks");

    private LogsBinder() {
    }

    static Optional<LogsConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        long range = LogsConfig.DEFAULT_MAX_BLOCK_RANGE;
        int chunks = LogsConfig.DEFAULT_MAX_CHUNKS;
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "maxBlockRange" -> range = value.integer(1, 100_000_000, "a number of blocks >= 1").orElse(range);
                case "maxChunks" -> chunks = value.integer(1, "an integer >= 1").orElse(chunks);
                default -> throw new AssertionError(value.key());
            }
        }
        return node.problems().errorCount() > errors ? Optional.empty() : Optional.of(new LogsConfig(range, chunks));
    }
}
