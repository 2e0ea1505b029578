package dev.outlast.drill.scenario.internal;

import dev.outlast.drill.scenario.PathStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where one path's requests are counted: per phase (the phase the request started in) and per second
 * of the run (the second it started in), for the table and the timeline. Thread-safe.
 */
public final class Recorder {

    private final long startNanos;
    private final ConcurrentMap<Integer, Tally> phases = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Tally> seconds = new ConcurrentHashMap<>();
    private final Tally total = new Tally();
    private volatile int phase;

    /** Counts from {@code startNanos} ({@link System#nanoTime()}) on, in phase 0. */
    public Recorder(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Requests started from now on count in phase {@code index}. */
    public void phase(int index) {
        phase = index;
    }

    /** A request starts: returns the token to {@link Started#end end} it with. */
    public Started start() {
        long now = System.nanoTime();
        return new Started(phase, (int) ((now - startNanos) / 1_000_000_000L), now);
    }

    /** The figures of phase {@code index} so far. */
    public PathStats phaseStats(int index) {
        Tally tally = phases.get(index);
        return tally == null ? PathStats.EMPTY : tally.stats();
    }

    /** The figures of the whole run so far. */
    public PathStats totalStats() {
        return total.stats();
    }

    /** The figures of every second from 0 to {@code lastSecond}, empty seconds included. */
    public List<PathStats> timeline(int lastSecond) {
        List<PathStats> out = new ArrayList<>(lastSecond + 1);
        for (int s = 0; s <= lastSecond; s++) {
            Tally tally = seconds.get(s);
            out.add(tally == null ? PathStats.EMPTY : tally.stats());
        }
        return out;
    }

    /** One request in flight. */
    public final class Started {
        private final int phaseIndex;
        private final int second;
        private final long nanos;

        private Started(int phaseIndex, int second, long nanos) {
            this.phaseIndex = phaseIndex;
            this.second = second;
            this.nanos = nanos;
        }

        /** Records how the request ended; {@code sample} describes a failure, null for none. */
        public void end(Tally.Outcome outcome, String sample) {
            long millis = (System.nanoTime() - nanos) / 1_000_000;
            phases.computeIfAbsent(phaseIndex, i -> new Tally()).add(outcome, millis, sample);
            seconds.computeIfAbsent(second, i -> new Tally()).add(outcome, millis, null);
            total.add(outcome, millis, sample);
        }
    }
}
