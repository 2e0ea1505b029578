package dev.outlast.demo;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one client path (through Outlast, or directly to a provider) got during one phase: answers
 * that were right, errors, and answers that were wrong. A request counts in the phase it started in.
 *
 * <p>Thread-safe.
 */
final class Tally {

    /** How a request ended. */
    enum Result { OK, ERROR, WRONG }

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    void begin() {
        inFlight.incrementAndGet();
    }

    void end(Result result) {
        switch (result) {
            case OK -> ok.incrementAndGet();
            case ERROR -> errors.incrementAndGet();
            case WRONG -> wrong.incrementAndGet();
        }
        inFlight.decrementAndGet();
    }

    /** A request that was cut short because the demo is stopping: counted nowhere. */
    void abandon() {
        inFlight.decrementAndGet();
    }

    /** Requests started and not finished yet. */
    long inFlight() {
        return inFlight.get();
    }

    /** {@code 120 ok, 0 errors, 0 wrong}. */
    @Override
    public String toString() {
        return ok.get() + " ok, " + errors.get() + " errors, " + wrong.get() + " wrong";
    }
}
