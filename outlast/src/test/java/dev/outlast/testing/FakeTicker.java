package dev.outlast.testing;

import dev.outlast.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that only moves when a test advances it, so timing logic is tested without
 * sleeping.
 *
 * <p>Thread-safe.
 */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos;

    /** A ticker starting at an arbitrary non-zero origin, as {@link System#nanoTime()} does. */
    public FakeTicker() {
        this(1_000_000_000_000L);
    }

    public FakeTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves time forward by {@code duration}; returns this ticker. */
    public FakeTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
