package dev.outlast.drill.scenario;

import java.util.List;

/**
 * What one client path (through Outlast, or directly to the first provider) got during one phase.
 * Immutable.
 *
 * @param requests  requests started in the phase and finished
 * @param errors    answers that were not a JSON-RPC result: HTTP errors, resets, timeouts, bodies that are
 *                  not JSON-RPC, JSON-RPC errors
 * @param wrong     results that differ from the chain's ledger
 * @param p50Millis median latency
 * @param p99Millis 99th percentile latency
 * @param maxMillis slowest request
 * @param samples   up to {@value #MAX_SAMPLES} descriptions of errors and wrong values, first seen first
 */
public record PathStats(long requests, long errors, long wrong, long p50Millis, long p99Millis, long maxMillis,
                        List<String> samples) {

    public static final int MAX_SAMPLES = 5;
    public static final PathStats EMPTY = new PathStats(0, 0, 0, 0, 0, 0, List.of());

    public PathStats {
        samples = List.copyOf(samples);
    }

    /** Whether every answer was a right result. */
    public boolean clean() {
        return errors == 0 && wrong == 0;
    }
}
