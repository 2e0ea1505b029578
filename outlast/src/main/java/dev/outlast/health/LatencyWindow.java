package dev.outlast.health;

import java.util.Arrays;

/**
 * The most recent latencies of one endpoint: an exponentially weighted mean and a p90 over a ring
 * of the last {@value #SIZE} samples. The p90 is recomputed when asked for, at most once every few
 * samples, in a buffer of its own (a site origin's is asked for only by the API, so most windows
 * never sort).
 *
 * <p>Not thread-safe: guarded by the owning {@link EndpointHealth}.
 */
final class LatencyWindow {

    static final int SIZE = 64;
    private static final double ALPHA = 0.2;
    private static final int RECOMPUTE_EVERY = 8;

    private final long[] ring = new long[SIZE];
    private final long[] sorted = new long[SIZE];
    private int count;
    private int next;
    private double ewmaNanos = -1;
    private long p90Nanos = -1;
    private int sinceRecompute;

    void add(long nanos) {
        ring[next] = nanos;
        next = (next + 1) % SIZE;
        if (count < SIZE) {
            count++;
        }
        ewmaNanos = ewmaNanos < 0 ? nanos : ALPHA * nanos + (1 - ALPHA) * ewmaNanos;
        sinceRecompute++;
    }

    int count() {
        return count;
    }

    /** Mean latency in nanoseconds, or -1 before the first sample. */
    double ewmaNanos() {
        return ewmaNanos;
    }

    /** The 90th percentile in nanoseconds, or -1 before the first sample. */
    long p90Nanos() {
        if (count > 0 && (p90Nanos < 0 || sinceRecompute >= RECOMPUTE_EVERY)) {
            sinceRecompute = 0;
            System.arraycopy(ring, 0, sorted, 0, count);
            Arrays.sort(sorted, 0, count);
            p90Nanos = sorted[Math.min(count - 1, (int) Math.ceil(count * 0.9) - 1)];
        }
        return p90Nanos;
    }
}
