package dev.outlast.time;

/**
 * A source of nanosecond time for measuring elapsed time (not wall-clock time).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
    long nanos();

    /** The system ticker ({@link System#nanoTime()}). */
    static Ticker system() {
        return System::nanoTime;
    }
}
