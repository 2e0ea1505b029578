package dev.outlast.routing;

import dev.outlast.time.Ticker;
import java.time.Duration;

/**
 * The widest {@code eth_getLogs} range one chain sends to its upstreams in one call.
 *
 * <h2>Implementation note</h2>
 * It starts at the configured {@code getLogs.maxBlockRange}. A refusal narrows it at once to the
 * range the upstream names (or what the caller chose). A refusal does not always mean a fixed
 * limit: some providers refuse by the number of logs a range holds (a busy range refused, a quiet
 * one fine), and the upstream that refused may have been replaced since. So once
 * {@link #WIDEN_AFTER} has passed without a refusal, the width doubles again, step by step, up
 * to the configured maximum; a limit that still holds costs one refused call per step, and the
 * width narrows again.
 *
 * <p>Thread-safe.
 */
final class LogsWidth {

    static final Duration WIDEN_AFTER = Duration.ofMinutes(10);

    private final long max;
    private final Ticker ticker;
    private long width;
    private long since;

    LogsWidth(long max, Ticker ticker) {
        this.max = max;
        this.width = max;
        this.ticker = ticker;
        this.since = ticker.nanos();
    }

    /** The width to split the next request by. */
    synchronized long current() {
        long now = ticker.nanos();
        if (width < max && now - since >= WIDEN_AFTER.toNanos()) {
            width = width > max / 2 ? max : width * 2;
            since = now;
        }
        return width;
    }

    /**
     * An upstream refused a range as too wide; {@code accepted} is the width to use instead.
     *
     * @return the width before, so the caller can tell whether this narrowed it
     */
    synchronized long refused(long accepted) {
        long before = width;
        width = Math.max(1, Math.min(width, accepted));
        since = ticker.nanos();
        return before;
    }
}
