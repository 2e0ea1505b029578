package dev.outlast.routing.head;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.routing.ChainContext;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the served head has been behind: the time since a usable honest upstream reported a
 * block above it that it has not reached. Past the chain's {@code maxStaleness} the head is
 * <em>stale</em>, and reads at {@code latest} are refused with {@code stale_head} rather than
 * answered with an old value.
 *
 * <p>Thread-safe.
 */
public final class HeadAge {

    private static final long CURRENT = Long.MIN_VALUE;

    private final ChainContext chain;
    /** Since when (ticker nanos) the served head has been behind; {@link #CURRENT} while it is not. */
    private final AtomicLong behindSince = new AtomicLong(CURRENT);
    private volatile String movedBy = "none yet";

    HeadAge(ChainContext chain) {
        this.chain = chain;
    }

    /** The served head is the newest block a usable upstream reported. */
    void current() {
        behindSince.set(CURRENT);
    }

    /** A usable upstream reported a block above the served head, seen at {@code now} (kept if earlier). */
    void behind(long now) {
        behindSince.compareAndSet(CURRENT, now);
    }

    /** The served head moved up by {@code rule}: {@code "agreed by 2"}, {@code "linked by alpha"}. */
    void moved(String rule) {
        movedBy = rule;
    }

    /** The rule that last moved the served head: {@code "agreed by 2"}, {@code "linked by alpha"}. */
    public String movedBy() {
        return movedBy;
    }

    /** How long the served head has been behind; 0 while it is the newest reported. */
    public long nanos() {
        long since = behindSince.get();
        return since == CURRENT ? 0 : Math.max(0, chain.ticker().nanos() - since);
    }

    /** True when the served head has been behind for longer than {@code maxStaleness}. */
    public boolean isStale() {
        return nanos() > chain.config().maxStaleness().toNanos();
    }

    /** The {@code stale_head} answer to a read at {@code latest}, the served head being {@code served}. */
    public RpcOutcome error(long served) {
        long ageMs = nanos() / 1_000_000;
        long maxMs = chain.config().maxStaleness().toMillis();
        ObjectNode error = RpcErrors.of(OutlastError.STALE_HEAD, "Block " + served + " is the newest block proven, "
                + ageMs + " ms after an upstream reported a newer one (maxStaleness " + maxMs
                + " ms): an answer at latest would be stale");
        RpcErrors.data(error).put("chain", chain.id()).put("servedHead", served).put("headAgeMs", ageMs)
                .put("maxStalenessMs", maxMs);
        return new RpcOutcome(RpcResponse.error(error), List.of(), null, OutlastError.STALE_HEAD.reason());
    }
}
