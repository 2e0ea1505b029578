package dev.outlast.health;

import java.time.Duration;

/**
 * The circuit breaker of one endpoint, as a value: whether user traffic may go to it.
 *
 * <p>{@code CLOSED} lets everything through. {@link #onFailure} with {@code trip} opens it for a
 * backoff ({@link #OPEN_BASE}, doubling to {@link #OPEN_MAX} while it keeps failing). After the
 * backoff it is {@code HALF_OPEN}: one request at a time is admitted ({@link #reserve});
 * {@value #CLOSE_AFTER_SUCCESSES} successes close it, one failure reopens it. After closing,
 * {@link #slowStartShare} ramps from 5% to 100% over {@link #SLOW_START}.
 *
 * <p>Immutable: a transition returns another circuit, or this one when nothing changes, so a
 * success on a closed circuit allocates nothing. An open circuit whose backoff has passed reads as
 * half-open ({@link #state}) with no success counted and no probe in flight, as opening left it; no
 * write is needed for that.
 */
final class Circuit {

    static final int CLOSE_AFTER_SUCCESSES = 3;
    static final Duration OPEN_BASE = Duration.ofSeconds(1);
    static final Duration OPEN_MAX = Duration.ofSeconds(30);
    static final Duration SLOW_START = Duration.ofSeconds(10);

    enum State { CLOSED, OPEN, HALF_OPEN }

    /** A closed circuit that has never opened. */
    static final Circuit INITIAL = new Circuit(State.CLOSED, 0, OPEN_BASE.toNanos(), 0, false, Long.MIN_VALUE);

    private final State state;
    private final long openUntil;
    private final long backoff;
    private final int halfOpenSuccesses;
    private final boolean probeInFlight;
    private final long closedAt;

    private Circuit(State state, long openUntil, long backoff, int halfOpenSuccesses, boolean probeInFlight,
                    long closedAt) {
        this.state = state;
        this.openUntil = openUntil;
        this.backoff = backoff;
        this.halfOpenSuccesses = halfOpenSuccesses;
        this.probeInFlight = probeInFlight;
        this.closedAt = closedAt;
    }

    /** The state at {@code now} (an open circuit whose backoff has passed is half-open). */
    State state(long now) {
        return state == State.OPEN && now - openUntil >= 0 ? State.HALF_OPEN : state;
    }

    Circuit onSuccess(long now) {
        if (state(now) != State.HALF_OPEN) {
            return this;
        }
        int successes = halfOpenSuccesses + 1;
        if (successes >= CLOSE_AFTER_SUCCESSES) {
            return new Circuit(State.CLOSED, openUntil, OPEN_BASE.toNanos(), 0, false, now);
        }
        return new Circuit(State.HALF_OPEN, openUntil, backoff, successes, false, closedAt);
    }

    /** Ends a half-open reservation without counting for or against recovery. */
    Circuit release(long now) {
        return state(now) == State.HALF_OPEN && probeInFlight
               ? new Circuit(State.HALF_OPEN, openUntil, backoff, halfOpenSuccesses, false, closedAt) : this;
    }

    /** A failure: reopens a half-open circuit with a doubled backoff, opens a closed one if {@code trip}. */
    Circuit onFailure(long now, boolean trip) {
        return switch (state(now)) {
            case HALF_OPEN -> open(now, Math.min(backoff * 2, OPEN_MAX.toNanos()));
            case CLOSED -> trip ? open(now, backoff) : this;
            case OPEN -> this;
        };
    }

    private Circuit open(long now, long newBackoff) {
        return new Circuit(State.OPEN, now + newBackoff, newBackoff, 0, false, closedAt);
    }

    /**
     * Admits a request: this circuit when closed, one with the probe reserved when half-open and
     * free (reserved until a reply), null when it admits nothing now.
     */
    Circuit reserve(long now) {
        return switch (state(now)) {
            case CLOSED -> this;
            case OPEN -> null;
            case HALF_OPEN -> probeInFlight ? null
                    : new Circuit(State.HALF_OPEN, openUntil, backoff, halfOpenSuccesses, true, closedAt);
        };
    }

    /** Would admit a request now; reserves nothing. */
    boolean admits(long now) {
        State s = state(now);
        return s == State.CLOSED || (s == State.HALF_OPEN && !probeInFlight);
    }

    /** The share of its full traffic the endpoint may take now, in (0, 1]. */
    double slowStartShare(long now) {
        if (closedAt == Long.MIN_VALUE) {
            return 1.0;
        }
        double elapsed = (double) (now - closedAt) / SLOW_START.toNanos();
        return elapsed >= 1 ? 1.0 : Math.max(0.05, elapsed);
    }
}
