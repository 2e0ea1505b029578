package dev.outlast.health;

/**
 * The circuit breaker of one upstream: whether user traffic may go to it.
 *
 * <p>{@code CLOSED} lets everything through. {@link #onFailure} with {@code trip} opens it for a
 * backoff ({@link UpstreamHealth#OPEN_BASE}, doubling to {@link UpstreamHealth#OPEN_MAX} while it
 * keeps failing). After the backoff it is {@code HALF_OPEN}: one request at a time is admitted
 * ({@link #tryAdmit}); {@link UpstreamHealth#CLOSE_AFTER_SUCCESSES} successes close it, one
 * failure reopens it. After closing, {@link #slowStartShare} ramps from 5% to 100% over
 * {@link UpstreamHealth#SLOW_START}.
 *
 * <p>Not thread-safe: guarded by the owning {@link UpstreamHealth}.
 */
final class Circuit {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private State state = State.CLOSED;
    private long openUntil;
    private long backoff = UpstreamHealth.OPEN_BASE.toNanos();
    private int halfOpenSuccesses;
    private boolean probeInFlight;
    private long closedAt = Long.MIN_VALUE;

    /** The state at {@code now} (an open circuit whose backoff has passed is half-open). */
    State state(long now) {
        if (state == State.OPEN && now - openUntil >= 0) {
            state = State.HALF_OPEN;
            halfOpenSuccesses = 0;
            probeInFlight = false;
        }
        return state;
    }

    void onSuccess(long now) {
        if (state(now) == State.HALF_OPEN) {
            probeInFlight = false;
            if (++halfOpenSuccesses >= UpstreamHealth.CLOSE_AFTER_SUCCESSES) {
                state = State.CLOSED;
                closedAt = now;
                backoff = UpstreamHealth.OPEN_BASE.toNanos();
            }
        }
    }

    /** Ends a half-open reservation without counting for or against recovery. */
    void release(long now) {
        if (state(now) == State.HALF_OPEN) {
            probeInFlight = false;
        }
    }

    /** A failure: reopens a half-open circuit with a doubled backoff, opens a closed one if {@code trip}. */
    void onFailure(long now, boolean trip) {
        switch (state(now)) {
            case HALF_OPEN -> open(now, Math.min(backoff * 2, UpstreamHealth.OPEN_MAX.toNanos()));
            case CLOSED -> {
                if (trip) {
                    open(now, backoff);
                }
            }
            case OPEN -> { }
        }
    }

    private void open(long now, long newBackoff) {
        state = State.OPEN;
        backoff = newBackoff;
        openUntil = now + newBackoff;
        halfOpenSuccesses = 0;
        probeInFlight = false;
    }

    /** Admits a request: always when closed, one at a time when half-open (reserved until a reply). */
    boolean tryAdmit(long now) {
        return switch (state(now)) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (probeInFlight) {
                    yield false;
                }
                probeInFlight = true;
                yield true;
            }
        };
    }

    /** Would admit a request now; reserves nothing. */
    boolean admits(long now) {
        State s = state(now);
        return s == State.CLOSED || (s == State.HALF_OPEN && !probeInFlight);
    }

    /** The share of its full traffic the upstream may take now, in (0, 1]. */
    double slowStartShare(long now) {
        if (closedAt == Long.MIN_VALUE) {
            return 1.0;
        }
        double elapsed = (double) (now - closedAt) / UpstreamHealth.SLOW_START.toNanos();
        return elapsed >= 1 ? 1.0 : Math.max(0.05, elapsed);
    }
}
