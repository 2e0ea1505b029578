package dev.outlast.server;

import dev.outlast.health.HealthState;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RoutingListener;
import dev.outlast.upstream.UpstreamReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: requests by chain, method and outcome with latency histograms; per-upstream
 * calls, latency, state, head and lag; failovers, hedges, disagreements, quarantines and coalesced
 * requests. Method labels are limited to {@value #MAX_METHOD_LABELS} distinct names (the rest are
 * {@code other}) so a client cannot blow up cardinality. Upstreams appear by name only, never by URL.
 *
 * <p>Thread-safe.
 */
final class Metrics implements RoutingListener {

    static final int MAX_METHOD_LABELS = 200;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> methods = ConcurrentHashMap.newKeySet();

    PrometheusMeterRegistry registry() {
        return registry;
    }

    String scrape() {
        return registry.scrape();
    }

    /** Registers the gauges of a chain and its upstreams. */
    void register(Chain chain) {
        Gauge.builder("outlast_chain_head_block", chain, Chain::servedHead)
                .description("Block number served as the head (never decreases)")
                .tag("chain", chain.id()).register(registry);
        for (ChainUpstream u : chain.upstreams()) {
            for (HealthState state : HealthState.values()) {
                Gauge.builder("outlast_upstream_state", u, x -> x.health().state() == state ? 1 : 0)
                        .description("1 for the upstream's current state, 0 for the others")
                        .tags("chain", chain.id(), "upstream", u.name(), "state", state.label())
                        .register(registry);
            }
            Gauge.builder("outlast_upstream_head_block", u, x -> x.health().head())
                    .description("Latest block the upstream reported")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
            Gauge.builder("outlast_upstream_lag_blocks", u, x -> x.health().snapshot().lag())
                    .description("Blocks the upstream is behind the served head")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
            Gauge.builder("outlast_upstream_error_ratio", u, x -> x.health().snapshot().errorRate())
                    .description("Recent failure ratio (exponentially weighted)")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
        }
    }

    String methodLabel(String method) {
        if (methods.contains(method)) {
            return method;
        }
        if (methods.size() < MAX_METHOD_LABELS && method.length() <= 64 && method.matches("[A-Za-z0-9_]+")) {
            methods.add(method);
            return method;
        }
        return "other";
    }

    void request(String chain, String method, String outcome, long nanos) {
        String m = methodLabel(method);
        Counter.builder("outlast_requests").description("Client JSON-RPC requests by outcome")
                .tags("chain", chain, "method", m, "outcome", outcome).register(registry).increment();
        Timer.builder("outlast_request_duration").description("Client request latency")
                .tags("chain", chain, "method", m)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onUpstreamReply(String chain, String method, UpstreamReply reply) {
        String outcome = reply.isFailure() ? reply.failure().label() : reply.error() != null ? "rpc_error" : "ok";
        Counter.builder("outlast_upstream_requests").description("Calls to upstreams by outcome")
                .tags("chain", chain, "upstream", reply.upstream(), "outcome", outcome).register(registry).increment();
        Timer.builder("outlast_upstream_duration").description("Upstream call latency")
                .tags("chain", chain, "upstream", reply.upstream())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(reply.latencyNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onFailover(String chain, String method, String from) {
        Counter.builder("outlast_failovers").description("Requests moved to another upstream after a failure")
                .tags("chain", chain, "upstream", from).register(registry).increment();
    }

    @Override
    public void onHedge(String chain, String method, String slowUpstream) {
        Counter.builder("outlast_hedges").description("Second upstreams asked because the first was slow")
                .tags("chain", chain, "upstream", slowUpstream).register(registry).increment();
    }

    @Override
    public void onDisagreement(String chain, String method) {
        Counter.builder("outlast_disagreements").description("Consensus reads where upstreams answered differently")
                .tags("chain", chain, "method", methodLabel(method)).register(registry).increment();
    }

    @Override
    public void onQuarantine(String chain, String upstream, String why) {
        Counter.builder("outlast_quarantines").description("Upstreams quarantined for a wrong answer")
                .tags("chain", chain, "upstream", upstream).register(registry).increment();
    }

    @Override
    public void onCoalesced(String chain, String method) {
        Counter.builder("outlast_coalesced").description("Requests that joined an identical request in flight")
                .tags("chain", chain).register(registry).increment();
    }

    @Override
    public void onStateChange(String chain, String upstream, HealthState from, HealthState to, String reason) {
        Counter.builder("outlast_upstream_state_changes").description("Upstream state transitions")
                .tags("chain", chain, "upstream", upstream, "to", to.label()).register(registry).increment();
    }
}
