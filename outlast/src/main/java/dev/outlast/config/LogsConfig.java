package dev.outlast.config;

/**
 * How {@code eth_getLogs} over a wide block range is split.
 *
 * @param maxBlockRange the widest range sent to an upstream in one call, default
 *                      {@value #DEFAULT_MAX_BLOCK_RANGE}; narrowed at run time when upstreams say
 *                      a range is too wide
 * @param maxChunks     a request needing more calls than this is refused with
 *                      {@code range_too_wide}, default {@value #DEFAULT_MAX_CHUNKS}
 */
public record LogsConfig(long maxBlockRange, int maxChunks) {

    public static final long DEFAULT_MAX_BLOCK_RANGE = 2000;
    public static final int DEFAULT_MAX_CHUNKS = 500;
    public static final LogsConfig DEFAULT = new LogsConfig(DEFAULT_MAX_BLOCK_RANGE, DEFAULT_MAX_CHUNKS);

    public LogsConfig {
        if (maxBlockRange < 1) {
            throw new IllegalArgumentException("maxBlockRange: " + maxBlockRange + " (expected: >= 1)");
        }
        if (maxChunks < 1) {
            throw new IllegalArgumentException("maxChunks: " + maxChunks + " (expected: >= 1)");
        }
    }
}
