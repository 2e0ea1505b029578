package dev.outlast.drill.scenario.internal;

import dev.outlast.drill.scenario.PathStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The counts and latencies of one path in one phase (or one second). Thread-safe: every method
 * holds the instance's lock briefly.
 */
public final class Tally {

    private long errors;
    private long wrong;
    private long[] latencies = new long[64];
    private int count;
    private final List<String> samples = new ArrayList<>();

    /** Records one finished request. */
    public synchronized void add(Outcome outcome, long latencyMillis, String sample) {
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = latencyMillis;
        switch (outcome) {
            case ERROR -> errors++;
            case WRONG -> wrong++;
            case OK -> {
            }
        }
        if (sample != null && samples.size() < PathStats.MAX_SAMPLES) {
            samples.add(sample);
        }
    }

    /** The figures so far. */
    public synchronized PathStats stats() {
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new PathStats(count, errors, wrong, percentile(sorted, 0.50), percentile(sorted, 0.99),
                count == 0 ? 0 : sorted[count - 1], samples);
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** How a request ended. */
    public enum Outcome { OK, ERROR, WRONG }
}
