package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outlast.routing.ChainContext;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.upstream.UpstreamReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The routed reads of one chain that proofs are built on, provided by the chain's routing: a read
 * served by the first answer that passes a check, a read served only when {@code k} upstreams
 * agree, and the ordinary reads a verified read falls back to. Every read follows the chain's
 * selection, failover, hedging and retry policy, and never completes exceptionally.
 *
 * <p>Implementations are thread-safe.
 */
public interface RoutedReads {

    /** The chain's configuration, upstreams, scheduler, time and listener. */
    ChainContext chain();

    /**
     * A read answered by the first upstream among {@code among} whose result passes
     * {@code validator}, asked one at a time (hedged when slow).
     *
     * @param minHead   upstreams must have this block (-1: any)
     * @param validator null when a result is right, else why it is wrong: a wrong result
     *                  quarantines its upstream and the next is asked
     */
    CompletableFuture<RpcOutcome> firstValid(String method, ArrayNode params, boolean pinned, long deadlineNanos,
                                             List<ChainUpstream> among, long minHead,
                                             Function<UpstreamReply, String> validator);

    /**
     * The answer {@code k} upstreams having {@code block} return identically, asking {@code spare}
     * more at once; null when no upstream could be asked at all.
     */
    CompletableFuture<RpcOutcome> agreed(String method, ArrayNode params, long block, int k, int spare);

    /** The read without proofs: with consensus when the chain's policy asks it for the method, else failover. */
    CompletableFuture<RpcOutcome> plain(String method, JsonNode params, long minHead, boolean pinned);

    /**
     * The read served only when the chain's {@code minAgree} upstreams agree (or as
     * {@code whenSingleUpstream} says).
     */
    CompletableFuture<RpcOutcome> consensus(String method, JsonNode params, long minHead, boolean pinned);

    /** How many upstreams are usable and known to have {@code block}. */
    int usable(long block);

    /** The usable upstreams having {@code block}, in the order to ask them. */
    List<ChainUpstream> order(long block);

    /** Quarantines {@code upstream} for a wrong answer ({@code why}); the served head is recomputed without it. */
    void quarantine(String upstream, String why);
}
