package dev.outlast.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.routing.head.HeadTracker;
import dev.outlast.routing.nonce.NonceRouting;
import dev.outlast.routing.proof.Proofs;
import dev.outlast.rpc.Quantity;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A chain's reads as its requests get them: proven under the chain's {@code verify} policy where
 * it proves the method, else the ordinary routed read (consensus or failover); and what nonces
 * need of the chain ({@link NonceRouting}).
 *
 * <p>Thread-safe (its parts are).
 */
final class ChainReads implements NonceRouting {

    private final ChainCalls calls;
    private final Proofs proofs;
    private final HeadTracker heads;

    ChainReads(ChainCalls calls, Proofs proofs, HeadTracker heads) {
        this.calls = calls;
        this.proofs = proofs;
        this.heads = heads;
    }

    /** The read of {@code method}, pinned as {@code pinned} says: proven, or routed. */
    CompletableFuture<RpcOutcome> read(String method, Pinning.Pinned pinned) {
        CompletableFuture<RpcOutcome> verified = proofs.read(method, pinned.params(), pinned.minHead(), pinned.pinned());
        return verified != null ? verified : calls.plain(method, pinned);
    }

    @Override
    public ChainContext chain() {
        return calls.chain();
    }

    @Override
    public long servedHead() {
        return heads.servedHead();
    }

    @Override
    public CompletableFuture<RpcOutcome> latestNonce(String address, long block) {
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(address).add(Quantity.format(block));
        return read("eth_getTransactionCount", new Pinning.Pinned(params, block, true));
    }

    @Override
    public List<ChainUpstream> order(long block) {
        return calls.order(block);
    }

    @Override
    public void quarantine(String upstream, String why) {
        calls.quarantine(upstream, why);
    }
}
