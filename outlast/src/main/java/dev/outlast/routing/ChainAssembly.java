package dev.outlast.routing;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.cache.ResponseCache;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.config.VerifyMode;
import dev.outlast.health.HealthState;
import dev.outlast.health.UpstreamHealth;
import dev.outlast.routing.head.CanonicalChain;
import dev.outlast.routing.head.HeadTracker;
import dev.outlast.routing.nonce.Nonces;
import dev.outlast.routing.proof.ProofSupport;
import dev.outlast.routing.proof.Proofs;
import dev.outlast.routing.retry.RetryPolicy;
import dev.outlast.rpc.MethodCatalog;
import dev.outlast.time.Ticker;
import dev.outlast.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the parts of one {@link Chain} and wires them together: the upstreams with their health,
 * the context every part shares, head tracking, the routed calls, proofs, nonces, and the cache's
 * block watch. The chain itself only routes requests through them.
 *
 * <p>Thread-safe (stateless).
 */
final class ChainAssembly {

    /** Upstream state changes are logged under the chain's name, where operators look for them. */
    private static final Logger log = LoggerFactory.getLogger(Chain.class);

    /** The parts of one chain. {@code canonical} is null without a cache. */
    record Parts(ChainContext context, HeadTracker heads, ChainCalls calls, Proofs proofs, ChainReads reads,
                 Nonces nonces, ResponseCache cache, CanonicalChain canonical, LogsWidth logsWidth,
                 MethodCatalog catalog) {
    }

    private ChainAssembly() {
    }

    static Parts assemble(ChainConfig config, ClientFactory factory, ScheduledExecutorService scheduler, Ticker ticker,
                          RoutingListener listener, ResponseCache cache, long reorgHorizon) {
        ProofSupport support = new ProofSupport(config.id(), scheduler, config.requestTimeout());
        List<ChainUpstream> upstreams = new ArrayList<>();
        for (UpstreamConfig u : config.upstreams()) {
            Upstream upstream = new Upstream(u.name(), u.url(), factory, ticker);
            UpstreamHealth health = new UpstreamHealth(u.name(), ticker,
                    (name, from, to, reason) -> stateChanged(config, listener, support, upstream, from, to, reason),
                    u.rateLimit());
            upstreams.add(new ChainUpstream(upstream, health));
        }
        ChainContext context = new ChainContext(config, upstreams, scheduler, ticker, listener, support::learn);
        HeadTracker heads = new HeadTracker(context);
        ChainCalls calls = new ChainCalls(context, heads, RetryPolicy.DEFAULT);
        Proofs proofs = new Proofs(support, calls);
        ChainReads reads = new ChainReads(calls, proofs, heads);
        Nonces nonces = new Nonces(reads);
        CanonicalChain canonical = cache == null ? null
                : new CanonicalChain(context, heads, cache, reorgHorizon, calls::block, block -> {
                    proofs.forgetFrom(block);
                    nonces.replaced(block);
                });
        if (canonical != null) {
            heads.watch(canonical::hashAt);
        }
        return new Parts(context, heads, calls, proofs, reads, nonces, cache, canonical,
                new LogsWidth(config.logs().maxBlockRange(), ticker), new MethodCatalog(config.deniedMethods()));
    }

    /** Logs a change of an upstream's state, tells the listener, and has a recovered upstream probed for proofs. */
    private static void stateChanged(ChainConfig config, RoutingListener listener, ProofSupport support,
                                     Upstream upstream, HealthState from, HealthState to, String reason) {
        boolean worse = to == HealthState.DOWN || to == HealthState.QUARANTINED
                || to == HealthState.MISCONFIGURED || to == HealthState.LAGGING;
        String line = "upstream {}/{} ({}): {} -> {}: {}";
        Object[] args = {config.id(), upstream.name(), upstream.redactedUrl(), from.label(), to.label(),
                         upstream.redactor().scrub(reason)};
        if (worse) {
            log.warn(line, args);
        } else {
            log.info(line, args);
        }
        listener.onStateChange(config.id(), upstream.name(), from, to, reason);
        if (config.verify().mode() != VerifyMode.CONSENSUS
                && (from == HealthState.DOWN || from == HealthState.MISCONFIGURED)
                && (to == HealthState.HEALTHY || to == HealthState.DEGRADED)) {
            support.reprobe(upstream);
        }
    }
}
