package dev.outlast.health;

import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.Objects;

/**
 * How one endpoint's calls go, for a chain upstream or a site origin alike: its circuit, error
 * rate, latency, Retry-After and drain, turned into a state with a reason, a score and a hedge
 * delay. A chain upstream adds its {@link NodeState} through {@link UpstreamHealth}.
 *
 * <h2>Implementation note</h2>
 * A circuit breaker ({@link Circuit}) decides whether user traffic may go to the endpoint: it opens
 * after {@value #OPEN_AFTER_FAILURES} consecutive failures or an error rate of
 * {@value #OPEN_ERROR_RATE} or more (after at least {@value #MIN_CALLS_FOR_RATE} calls), then admits one
 * probe at a time once its backoff has passed, and ramps traffic up slowly after closing. A 429 (or
 * a rate-limit error) makes the endpoint unusable until its {@code Retry-After} (one second without
 * one) and never opens the circuit; a node error (a JSON-RPC error the node itself gave) raises the
 * error rate but does not count as a consecutive failure. The error rate is an exponentially
 * weighted mean over calls, so it reacts within a few calls and forgets within a few dozen. It
 * deliberately keeps no per-method statistics.
 * <p>Writers (a reply, a drain, a node change) update under this object's monitor and publish a new
 * immutable {@link HealthView} through one volatile field; readers ({@link #current()} and the
 * getters) read that field and never lock. Only {@link #snapshot()}, for people, takes the monitor
 * to add what is shown but never decides (calls, the last failure, the p90). The only decision
 * taken against the state is {@link #tryAdmit()}: a closed or open circuit answers from the view,
 * a half-open one reserves its single probe under the monitor, so two requests never both take it. After each write except a
 * reservation the state is derived at that moment and, when it differs from the state last
 * reported, the listener hears the change once, outside the monitor. A change that only the passing
 * of time brings (a backoff or Retry-After that ends) is reported with the next write. Every endpoint
 * starts out reported {@code DOWN}, so an origin, which needs no verification, is heard becoming
 * healthy as it is built.
 *
 * <p>Thread-safe. Writers do constant work; readers do one volatile read.
 */
public final class EndpointHealth {

    static final int OPEN_AFTER_FAILURES = 3;
    static final double OPEN_ERROR_RATE = 0.6;
    static final int MIN_CALLS_FOR_RATE = 10;
    private static final double ERROR_ALPHA = 0.1;
    private static final int HEDGE_MIN_SAMPLES = 5;

    /** Hears each change of the visible state once, on the thread that wrote it, outside the endpoint's monitor. */
    @FunctionalInterface
    public interface Listener {
        void onStateChange(String endpoint, HealthState from, HealthState to, String reason);
    }

    /** A change of the node state at {@code now}, run under the monitor. */
    @FunctionalInterface
    interface NodeChange {
        NodeState apply(NodeState node, long now);
    }

    private record Transition(HealthState from, HealthState to, String reason) {
    }

    private final String name;
    private final Ticker ticker;
    private final Listener listener;
    private final boolean hedged;
    private final LatencyWindow latency = new LatencyWindow();

    private Circuit circuit = Circuit.INITIAL;
    private NodeState node;
    private int consecutiveFailures;
    private double errorRate;
    private long calls;
    private FailureKind lastFailure;
    private String lastFailureDetail;
    private long rateLimitedUntil;
    private String drainedWhy;
    private HealthState reported = HealthState.DOWN;

    private volatile HealthView current;

    /** The health of a site origin: no node state, no hedging. */
    public EndpointHealth(String name, Ticker ticker, Listener listener) {
        this(name, ticker, listener, null, false);
    }

    /**
     * @param node   the node state of a chain upstream, null for a site origin
     * @param hedged whether {@link HealthView#hedgeDelayNanos} is asked on every call, so the view
     *               keeps the p90 (recomputed at most once every few samples)
     */
    EndpointHealth(String name, Ticker ticker, Listener listener, NodeState node, boolean hedged) {
        this.name = name;
        this.ticker = ticker;
        this.listener = listener;
        this.hedged = hedged;
        this.node = node;
        Transition started;
        synchronized (this) {
            long now = ticker.nanos();
            rateLimitedUntil = now;
            started = publish(now);
        }
        tell(started);
    }

    public String name() {
        return name;
    }

    /** The health as of the last change. */
    public HealthView current() {
        return current;
    }

    /** Records what one call produced. */
    public void record(UpstreamReply reply) {
        recorded(reply.failure(), reply.detail(), reply.retryAfter(), reply.latencyNanos());
    }

    /** Records an answer that took {@code latencyNanos} (a site origin's response below 500). */
    public void answered(long latencyNanos) {
        recorded(null, null, null, latencyNanos);
    }

    /**
     * Records a failed call.
     *
     * @param retryAfter for {@link FailureKind#RATE_LIMITED}: how long the endpoint asked to wait,
     *                   null for the default of one second
     */
    public void failed(FailureKind kind, String detail, Duration retryAfter) {
        recorded(Objects.requireNonNull(kind, "kind"), detail, retryAfter, 0);
    }

    /** Records a call that failed with {@code failure}, or answered when it is null. */
    private void recorded(FailureKind failure, String detail, Duration retryAfter, long latencyNanos) {
        Transition changed;
        synchronized (this) {
            long now = ticker.nanos();
            calls++;
            if (failure == null) {
                latency.add(latencyNanos);
                errorRate = (1 - ERROR_ALPHA) * errorRate;
                consecutiveFailures = 0;
                circuit = circuit.onSuccess(now);
            } else {
                onFailure(now, failure, detail, retryAfter);
            }
            changed = publish(now);
        }
        tell(changed);
    }

    private void onFailure(long now, FailureKind kind, String detail, Duration retryAfter) {
        lastFailure = kind;
        lastFailureDetail = detail;
        circuit = circuit.release(now);
        if (kind == FailureKind.RATE_LIMITED) {
            Duration wait = retryAfter != null ? retryAfter : Duration.ofSeconds(1);
            rateLimitedUntil = Math.max(rateLimitedUntil, now + wait.toNanos());
            errorRate = (1 - ERROR_ALPHA) * errorRate + ERROR_ALPHA * 0.5;
            return;
        }
        errorRate = (1 - ERROR_ALPHA) * errorRate + ERROR_ALPHA;
        if (kind == FailureKind.NODE_ERROR) {
            return;
        }
        consecutiveFailures++;
        circuit = circuit.onFailure(now, consecutiveFailures >= OPEN_AFTER_FAILURES
                || (calls >= MIN_CALLS_FOR_RATE && errorRate >= OPEN_ERROR_RATE));
    }

    /**
     * True when user traffic may go to this endpoint now. For a recovering (half-open) endpoint
     * this admits one request at a time and reserves it; the reservation ends with the next
     * recorded reply.
     */
    public boolean tryAdmit() {
        HealthView view = current;
        long now = ticker.nanos();
        if (!view.isAvailableAsFallback(now)) {
            return false;
        }
        Circuit.State state = view.circuit().state(now);
        if (state != Circuit.State.HALF_OPEN) {
            return state == Circuit.State.CLOSED;
        }
        synchronized (this) {
            now = ticker.nanos();
            Circuit reserved = current.isAvailableAsFallback(now) ? circuit.reserve(now) : null;
            if (reserved == null) {
                return false;
            }
            if (reserved != circuit) {
                circuit = reserved;
                current = view();
            }
            return true;
        }
    }

    /**
     * Takes the endpoint out of user traffic (an operator, or a maintenance window) until
     * {@link #restore}; polls, probes and checks go on, so its health stays known.
     */
    public void drain(String why) {
        drained(why);
    }

    /** Ends a {@link #drain}. */
    public void restore() {
        drained(null);
    }

    private void drained(String why) {
        Transition changed;
        synchronized (this) {
            drainedWhy = why;
            changed = publish(ticker.nanos());
        }
        tell(changed);
    }

    /**
     * Replaces the node state of a chain upstream and publishes it; what the change
     * {@linkplain NodeState#found() found} wrong becomes the last failure.
     *
     * @return true when the change found something wrong
     */
    boolean changeNode(NodeChange change) {
        Transition changed;
        boolean found;
        synchronized (this) {
            long now = ticker.nanos();
            node = change.apply(node, now);
            found = node.found() != null;
            if (found) {
                lastFailure = node.found();
                lastFailureDetail = node.foundDetail();
            }
            changed = publish(now);
        }
        tell(changed);
        return found;
    }

    /** Publishes the view and returns the transition to report, or null. Call holding the monitor. */
    private Transition publish(long now) {
        HealthView view = view();
        current = view;
        Verdict verdict = Verdict.of(view, now);
        if (verdict.state() == reported) {
            return null;
        }
        HealthState from = reported;
        reported = verdict.state();
        return new Transition(from, reported, verdict.reason(view, lastFailure, lastFailureDetail));
    }

    private HealthView view() {
        long hedgeP90 = hedged && latency.count() >= HEDGE_MIN_SAMPLES ? latency.p90Nanos() : -1;
        return new HealthView(circuit, node, latency.ewmaNanos(), hedgeP90, errorRate, consecutiveFailures,
                              rateLimitedUntil, drainedWhy);
    }

    private void tell(Transition t) {
        if (t != null && listener != null) {
            listener.onStateChange(name, t.from(), t.to(), t.reason());
        }
    }

    /** True when user traffic could go to this endpoint now (see {@link HealthView#isUsable}); reserves nothing. */
    public boolean isUsable() {
        return current.isUsable(ticker.nanos());
    }

    /** True between a {@link #drain} and its {@link #restore}. */
    public boolean isDrained() {
        return current.isDrained();
    }

    /** Lower is better (see {@link HealthView#score}). */
    public double score() {
        return current.score(ticker.nanos());
    }

    /** The current state. */
    public HealthState state() {
        return current.state(ticker.nanos());
    }

    /** A consistent copy of everything shown about this endpoint, for the API, metrics and status page. */
    public synchronized HealthSnapshot snapshot() {
        HealthView view = current;
        long now = ticker.nanos();
        long p90 = latency.p90Nanos();
        Verdict verdict = Verdict.of(view, now);
        NodeState n = view.node();
        return new HealthSnapshot(name, verdict.state(), verdict.reason(view, lastFailure, lastFailureDetail),
                n == null ? -1 : n.head(), n == null ? 0 : n.lag(),
                view.latencyNanos() < 0 ? -1 : view.latencyNanos() / 1e6, p90 < 0 ? -1 : p90 / 1e6,
                view.errorRate(), calls, lastFailure, lastFailureDetail,
                n == null ? Duration.ZERO : n.quarantinedFor(now));
    }
}
