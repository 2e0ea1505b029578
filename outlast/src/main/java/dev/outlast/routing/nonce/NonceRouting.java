package dev.outlast.routing.nonce;

import dev.outlast.routing.ChainContext;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RpcOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What nonces need from a chain's routing. Implementations are thread-safe; their futures never
 * complete exceptionally.
 */
public interface NonceRouting {

    /** The chain's configuration, upstreams, scheduler, time and listener. */
    ChainContext chain();

    /** The block number clients are told is the head; -1 before any is known. */
    long servedHead();

    /**
     * {@code address}'s nonce at {@code block}, read as the chain reads a nonce pinned to a block:
     * proven under its {@code verify} policy, or by consensus.
     */
    CompletableFuture<RpcOutcome> latestNonce(String address, long block);

    /** The usable upstreams having {@code block}, in the order to ask them. */
    List<ChainUpstream> order(long block);

    /** Quarantines {@code upstream} for a wrong answer ({@code why}). */
    void quarantine(String upstream, String why);
}
