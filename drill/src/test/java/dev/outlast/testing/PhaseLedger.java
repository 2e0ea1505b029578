package dev.outlast.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The phases of a scenario in order, and the one running now: loads that run across phases count
 * each request in the phase in which it began. Thread-safe.
 */
public final class PhaseLedger {

    private final List<Tally> phases = new CopyOnWriteArrayList<>();

    /** Starts phase {@code name}: requests beginning from now on count in it. */
    public Tally begin(String name) {
        Tally tally = new Tally(name);
        phases.add(tally);
        return tally;
    }

    /** The phase running now. */
    public Tally current() {
        if (phases.isEmpty()) {
            throw new IllegalStateException("no phase begun");
        }
        return phases.get(phases.size() - 1);
    }

    public List<Tally> phases() {
        return List.copyOf(phases);
    }
}
