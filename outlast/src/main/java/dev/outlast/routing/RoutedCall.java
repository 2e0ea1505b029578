package dev.outlast.routing;

import dev.outlast.config.HedgingConfig;
import dev.outlast.time.Timers;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The skeleton every routed request shares: a deadline, calls in flight by upstream, hedge timers,
 * and one ending. Subclasses decide what to ask next and when an answer is good enough
 * ({@link FailoverCall}, {@link ConsensusCall}).
 *
 * <p>Every state change happens under this object's monitor: {@link #begin}, {@link #onReply},
 * {@link #onSlow} and {@link #deadlineOutcome} are called holding it, never after {@link #finish}.
 * Upstream replies are recorded in health before the monitor is taken. No callback blocks.
 */
abstract class RoutedCall {

    final CallContext ctx;
    final Candidates candidates;
    final Map<String, CompletableFuture<UpstreamReply>> inFlight = new LinkedHashMap<>();
    final List<UpstreamReply> failures = new ArrayList<>();
    private final CompletableFuture<RpcOutcome> result = new CompletableFuture<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private boolean done;
    private boolean waitArmed;

    RoutedCall(CallContext ctx, Candidates candidates) {
        this.ctx = ctx;
        this.candidates = candidates;
        candidates.refreshHeadsWith(ctx.calls().headRefresh());
    }

    final CompletableFuture<RpcOutcome> start() {
        synchronized (this) {
            timers.add(schedule(this::deadline, Math.max(0, ctx.remainingNanos())));
            begin();
        }
        return result;
    }

    /** Asks the first upstream(s). */
    abstract void begin();

    /** A reply (answer or failure) from {@code from}, which is no longer in flight. */
    abstract void onReply(ChainUpstream from, UpstreamReply reply);

    /** {@code member} has been in flight longer than its hedge delay. */
    abstract void onSlow(ChainUpstream member);

    /** What the client gets when the deadline passes first. */
    abstract RpcOutcome deadlineOutcome();

    final boolean isDone() {
        return done;
    }

    /** Asks {@code member}, with its attempt timeout, and arms its hedge timer. */
    final void launch(ChainUpstream member, long remainingNanos) {
        CompletableFuture<UpstreamReply> call = member.upstream().call(ctx.method(), ctx.params(),
                Duration.ofNanos(candidates.timeoutNanos(member, remainingNanos)));
        inFlight.put(member.name(), call);
        call.thenAccept(reply -> reply(member, reply));
        HedgingConfig hedging = ctx.chain().config().hedging();
        if (hedging.enabled()) {
            long delay = member.health().hedgeDelayNanos(hedging.minDelay().toNanos(), hedging.maxDelay().toNanos());
            timers.add(schedule(() -> slow(member), delay));
        }
    }

    private void reply(ChainUpstream from, UpstreamReply reply) {
        ctx.chain().record(from, ctx.method(), reply);
        synchronized (this) {
            inFlight.remove(from.name());
            if (!done) {
                onReply(from, reply);
            }
        }
    }

    private synchronized void slow(ChainUpstream member) {
        if (!done && inFlight.containsKey(member.name())) {
            onSlow(member);
        }
    }

    private synchronized void deadline() {
        if (!done) {
            finish(deadlineOutcome());
        }
    }

    /** Ends the call: cancels timers and calls still in flight, and answers. */
    final void finish(RpcOutcome outcome) {
        done = true;
        timers.forEach(t -> t.cancel(false));
        inFlight.values().forEach(call -> call.cancel(false));
        inFlight.clear();
        result.complete(outcome);
    }

    /**
     * When upstreams are askable only later (passed over for their rate budget, or pausing before a
     * retry after a connection failure), waits for the first (if the deadline allows), offers them
     * again and runs {@code then}, under the monitor.
     *
     * @return true when a wait is armed (the caller must not finish yet)
     */
    final boolean waitForCandidates(Runnable then) {
        long wait = candidates.waitNanos();
        if (wait < 0 || wait >= ctx.remainingNanos()) {
            return false;
        }
        if (!waitArmed) {
            waitArmed = true;
            timers.add(schedule(() -> {
                synchronized (this) {
                    waitArmed = false;
                    if (!done) {
                        candidates.offerAgain();
                        then.run();
                    }
                }
            }, Math.max(wait, 1_000_000L)));
        }
        return true;
    }

    final ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return Timers.schedule(ctx.chain().scheduler(), task, delayNanos);
    }
}
