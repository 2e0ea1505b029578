package dev.outlast.routing;

import dev.outlast.config.ChainConfig;
import dev.outlast.time.Ticker;
import dev.outlast.upstream.UpstreamReply;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * What the parts of one chain share, handed to them instead of the {@link Chain} itself: the
 * chain's configuration, its upstreams, the scheduler its timers and polls run on, its time, and
 * where routing events go. Head tracking ({@link dev.outlast.routing.head}) and proofs
 * ({@link dev.outlast.routing.proof}) get this, not the chain.
 *
 * <p>Thread-safe (immutable; every part is thread-safe).
 *
 * @param ticker       the chain's time: every pause, wait and deadline of its routing is measured by it
 * @param proofReplies told of every {@code eth_getProof} reply, with the name of the upstream that
 *                     gave it (which upstreams serve proofs is learnt from them)
 */
public record ChainContext(ChainConfig config, List<ChainUpstream> upstreams, ScheduledExecutorService scheduler,
                           Ticker ticker, RoutingListener listener,
                           BiConsumer<String, UpstreamReply> proofReplies) {

    public ChainContext {
        Objects.requireNonNull(config, "config");
        upstreams = List.copyOf(upstreams);
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(proofReplies, "proofReplies");
    }

    /** The chain's id, as in {@code /rpc/{id}}. */
    public String id() {
        return config.id();
    }

    /** Takes a reply of {@code upstream} into account: in its health, in what it serves, and in the metrics. */
    public void record(ChainUpstream upstream, String method, UpstreamReply reply) {
        upstream.health().record(reply);
        if (method.equals("eth_getProof")) {
            proofReplies.accept(upstream.name(), reply);
        }
        listener.onUpstreamReply(config.id(), method, reply);
    }
}
