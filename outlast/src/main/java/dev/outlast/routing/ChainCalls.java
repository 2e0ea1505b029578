package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.ConsensusConfig;
import dev.outlast.routing.head.HeadTracker;
import dev.outlast.routing.proof.RoutedReads;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcRequest;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.upstream.UpstreamReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.web3j.crypto.Hash;

/**
 * The routed calls of one chain: each request's candidates (in the chain's time, under its
 * {@link RetryPolicy}), the call that serves it ({@link FailoverCall}, {@link ConsensusCall},
 * {@link BroadcastCall}), and what those calls do to the chain besides asking (quarantining a liar,
 * polling a lagging head out of turn). Also the reads proofs are built on ({@link RoutedReads}).
 *
 * <p>Thread-safe (its parts are; every call is its own object).
 */
final class ChainCalls implements RoutedReads {

    private final ChainContext chain;
    private final HeadTracker heads;
    private final RetryPolicy policy;
    /** One function for every request's {@link Candidates}, not one made per request. */
    private final Consumer<ChainUpstream> headRefresh;

    ChainCalls(ChainContext chain, HeadTracker heads, RetryPolicy policy) {
        this.chain = chain;
        this.heads = heads;
        this.policy = policy;
        this.headRefresh = heads::refresh;
    }

    @Override
    public ChainContext chain() {
        return chain;
    }

    /** Polls an upstream's head now (at most every 200 ms): a request is waiting for it to catch up. */
    Consumer<ChainUpstream> headRefresh() {
        return headRefresh;
    }

    @Override
    public void quarantine(String upstream, String why) {
        for (ChainUpstream u : chain.upstreams()) {
            if (u.name().equals(upstream) && u.health().quarantine(why)) {
                chain.listener().onQuarantine(chain.id(), upstream, why);
            }
        }
        heads.recompute();
    }

    private Candidates candidates(List<ChainUpstream> among, long minHead) {
        return Selector.candidates(among, minHead, chain.config().maxLagBlocks(), policy, chain.ticker());
    }

    private long deadline() {
        return chain.ticker().nanos() + chain.config().requestTimeout().toNanos();
    }

    /** The read without proofs: with consensus when the method needs it, else the first good answer. */
    CompletableFuture<RpcOutcome> plain(String method, Pinning.Pinned pinned) {
        if (!chain.config().consensus().methods().contains(method)) {
            CallContext ctx = new CallContext(this, method, pinned.params(), deadline(), pinned.pinned());
            return new FailoverCall(ctx, candidates(chain.upstreams(), pinned.minHead())).start();
        }
        return consensus(method, pinned);
    }

    /** {@code method} served only when {@code minAgree} upstreams agree (or as {@code whenSingleUpstream} says). */
    CompletableFuture<RpcOutcome> consensus(String method, Pinning.Pinned pinned) {
        ChainConfig config = chain.config();
        CallContext ctx = new CallContext(this, method, pinned.params(), deadline(), pinned.pinned());
        Candidates candidates = candidates(chain.upstreams(), pinned.minHead());
        int k = config.effectiveMinAgree();
        int available = candidates.distinct();
        boolean serveShort = config.consensus().whenSingleUpstream() == ConsensusConfig.SingleUpstreamPolicy.SERVE;
        if (available >= k || (serveShort && available > 0)) {
            return new ConsensusCall(ctx, candidates, k, serveShort).start();
        }
        ObjectNode error = RpcErrors.of(OutlastError.NO_QUORUM,
                "Only " + available + " usable upstream(s) for " + method + "; " + k
                        + " must agree before a value that moves money is served");
        RpcErrors.data(error).put("chain", chain.id()).put("usable", available).put("required", k)
                .put("policy", "consensus.whenSingleUpstream: fail");
        return CompletableFuture.completedFuture(
                new RpcOutcome(RpcResponse.error(error), List.of(), null, OutlastError.NO_QUORUM.reason()));
    }

    /** {@code eth_sendRawTransaction} to every usable upstream at once. */
    CompletableFuture<RpcOutcome> broadcast(RpcRequest request) {
        long deadline = deadline();
        JsonNode params = request.paramsNode();
        String hash;
        JsonNode raw = params.isArray() && params.size() > 0 ? params.get(0) : null;
        if (raw == null || !raw.isTextual() || !raw.textValue().startsWith("0x") || raw.textValue().length() < 4) {
            return invalid("Invalid params: eth_sendRawTransaction expects [\"0x<signed transaction>\"]");
        }
        try {
            hash = Hash.sha3(raw.textValue());
        } catch (RuntimeException e) {
            return invalid("Invalid params: the signed transaction is not hex");
        }
        CallContext ctx = new CallContext(this, request.method(), params, deadline, false);
        return new BroadcastCall(ctx, Selector.order(chain.upstreams(), -1, chain.ticker().nanos()), hash).start();
    }

    private static CompletableFuture<RpcOutcome> invalid(String message) {
        ObjectNode error = RpcErrors.of(OutlastError.INVALID_PARAMS, message);
        return CompletableFuture.completedFuture(
                new RpcOutcome(RpcResponse.error(error), List.of(), null, OutlastError.INVALID_PARAMS.reason()));
    }

    /** Block {@code number} (without its transactions) for the block watch, past the cache and coalescing. */
    CompletableFuture<RpcOutcome> block(long number) {
        JsonNode params = JsonNodeFactory.instance.arrayNode().add(Quantity.format(number)).add(false);
        return plain("eth_getBlockByNumber", new Pinning.Pinned(params, number, true));
    }

    @Override
    public CompletableFuture<RpcOutcome> firstValid(String method, ArrayNode params, boolean pinned, long deadlineNanos,
                                                    List<ChainUpstream> among, long minHead,
                                                    Function<UpstreamReply, String> validator) {
        CallContext ctx = new CallContext(this, method, params, deadlineNanos, pinned);
        return new FailoverCall(ctx, candidates(among, minHead), validator).start();
    }

    @Override
    public CompletableFuture<RpcOutcome> agreed(String method, ArrayNode params, long block, int k, int spare) {
        CallContext ctx = new CallContext(this, method, params, deadline(), true);
        Candidates candidates = candidates(chain.upstreams(), block);
        if (candidates.distinct() == 0) {
            return null;
        }
        return new ConsensusCall(ctx, candidates, k, false, spare).start();
    }

    @Override
    public CompletableFuture<RpcOutcome> plain(String method, JsonNode params, long minHead, boolean pinned) {
        return plain(method, new Pinning.Pinned(params, minHead, pinned));
    }

    @Override
    public CompletableFuture<RpcOutcome> consensus(String method, JsonNode params, long minHead, boolean pinned) {
        return consensus(method, new Pinning.Pinned(params, minHead, pinned));
    }

    @Override
    public int usable(long block) {
        int n = 0;
        long now = chain.ticker().nanos();
        for (ChainUpstream u : chain.upstreams()) {
            if (Selector.usableAt(u, block, now)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public List<ChainUpstream> order(long block) {
        return Selector.order(chain.upstreams(), block, chain.ticker().nanos());
    }
}
