package dev.outlast.server;

import dev.outlast.cache.CacheListener;
import dev.outlast.cache.ResponseCache;
import dev.outlast.health.HealthState;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RoutingListener;
import dev.outlast.site.Origin;
import dev.outlast.site.Site;
import dev.outlast.site.SiteListener;
import dev.outlast.upstream.UpstreamReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: requests by chain, method and outcome with latency histograms; per-upstream
 * calls, latency, state, head and lag; failovers, hedges, disagreements, quarantines and coalesced
 * requests; site requests, origin attempts (with the attributed {@code vendor}), failovers and origin
 * states. Method labels are limited to {@value #MAX_METHOD_LABELS} distinct names (the rest are
 * {@code other}) so a client cannot blow up cardinality. Upstreams appear by name only, never by URL.
 *
 * <p>Thread-safe.
 */
final class Metrics implements RoutingListener, CacheListener, SiteListener {

    static final int MAX_METHOD_LABELS = 200;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> methods = ConcurrentHashMap.newKeySet();
    private final Map<MeterKey, Meter> meters = new ConcurrentHashMap<>();

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
        Gauge.builder("outlast_chain_head_age_seconds", chain, c -> c.headAge().nanos() / 1e9)
                .description("Seconds the served head has been behind a newer block a usable upstream reported "
                        + "(0 while it is the newest); past maxStaleness reads at latest get stale_head")
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
            Gauge.builder("outlast_upstream_lag_blocks", u, x -> x.health().current().node().lag())
                    .description("Blocks the upstream is behind the served head")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
            Gauge.builder("outlast_upstream_rate_limit", u, x -> x.health().budget().rate())
                    .description("Requests per second the upstream may get now (+Inf: no limit); lowered after a 429")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
            Gauge.builder("outlast_upstream_error_ratio", u, x -> x.health().errorRate())
                    .description("Recent failure ratio (exponentially weighted)")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
            Gauge.builder("outlast_upstream_connections", u, x -> x.upstream().openConnections())
                    .description("HTTP connections open to the upstream now, busy or idle")
                    .tags("chain", chain.id(), "upstream", u.name()).register(registry);
        }
    }

    /** Registers the gauges of the response cache. */
    void register(ResponseCache cache) {
        Gauge.builder("outlast_cache_bytes", cache, ResponseCache::weightedSize)
                .description("Bytes of answers held by the embedded cache, as counted against cache.maxSize")
                .register(registry);
        Gauge.builder("outlast_cache_entries", cache, ResponseCache::size)
                .description("Answers held by the embedded cache")
                .register(registry);
    }

    @Override
    public void onHit(String chain, String method, String tier) {
        count("outlast_cache_requests", "Cacheable requests by result (hit or miss) and tier",
                "chain", chain, "method", methodLabel(method), "result", "hit", "tier", tier);
    }

    @Override
    public void onMiss(String chain, String method) {
        count("outlast_cache_requests", "Cacheable requests by result (hit or miss) and tier",
                "chain", chain, "method", methodLabel(method), "result", "miss", "tier", "none");
    }

    @Override
    public void onEviction(String chain, String method, String cause) {
        count("outlast_cache_evictions", "Answers removed from the cache: size, reorg or stale",
                "chain", chain, "method", methodLabel(method), "cause", cause);
    }

    @Override
    public void onReorg(String chain, long fromBlock, long depth) {
        count("outlast_reorgs", "Reorgs seen by the cache's block watch", "chain", chain);
    }

    /** Registers the state gauges of a site's origins. */
    void register(Site site) {
        for (Origin o : site.origins()) {
            for (HealthState state : HealthState.values()) {
                Gauge.builder("outlast_site_origin_state", o, x -> x.health().state() == state ? 1 : 0)
                        .description("1 for the origin's current state, 0 for the others")
                        .tags("site", site.id(), "origin", o.name(), "state", state.label())
                        .register(registry);
            }
        }
    }

    @Override
    public void onSiteRequest(String site, String outcome, long nanos) {
        count("outlast_site_requests", "Client requests to sites by outcome", "site", site, "outcome", outcome);
        time("outlast_site_request_duration", "Site latency until response headers", nanos, "site", site);
    }

    @Override
    public void onOriginReply(String site, String origin, String outcome, String vendor, long nanos) {
        count("outlast_site_origin_requests", "Attempts on site origins by outcome and attributed vendor",
                "site", site, "origin", origin, "outcome", outcome, "vendor", vendor);
        time("outlast_site_origin_duration", "Origin latency until response headers", nanos,
                "site", site, "origin", origin);
    }

    @Override
    public void onSiteFailover(String site, String origin, String vendor) {
        count("outlast_site_failovers", "Site requests moved to another origin after a failure",
                "site", site, "origin", origin, "vendor", vendor);
    }

    @Override
    public void onOriginStateChange(String site, String origin, HealthState from, HealthState to, String reason) {
        count("outlast_site_origin_state_changes", "Site origin state transitions",
                "site", site, "origin", origin, "to", to.label());
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
        count("outlast_requests", "Client JSON-RPC requests by outcome",
                "chain", chain, "method", m, "outcome", outcome);
        time("outlast_request_duration", "Client request latency", nanos,
                "chain", chain, "method", m);
    }

    @Override
    public void onUpstreamReply(String chain, String method, UpstreamReply reply) {
        String outcome = reply.isFailure() ? reply.failure().label() : reply.error() != null ? "rpc_error" : "ok";
        count("outlast_upstream_requests", "Calls to upstreams by outcome",
                "chain", chain, "upstream", reply.upstream(), "outcome", outcome);
        time("outlast_upstream_duration", "Upstream call latency", reply.latencyNanos(),
                "chain", chain, "upstream", reply.upstream());
    }

    @Override
    public void onFailover(String chain, String method, String from) {
        count("outlast_failovers", "Requests moved to another upstream after a failure",
                "chain", chain, "upstream", from);
    }

    @Override
    public void onHedge(String chain, String method, String slowUpstream) {
        count("outlast_hedges", "Second upstreams asked because the first was slow",
                "chain", chain, "upstream", slowUpstream);
    }

    @Override
    public void onDisagreement(String chain, String method) {
        count("outlast_disagreements", "Consensus reads where upstreams answered differently",
                "chain", chain, "method", methodLabel(method));
    }

    @Override
    public void onQuarantine(String chain, String upstream, String why) {
        count("outlast_quarantines", "Upstreams quarantined for a wrong answer",
                "chain", chain, "upstream", upstream);
    }

    @Override
    public void onCoalesced(String chain, String method) {
        count("outlast_coalesced", "Requests that joined an identical request in flight",
                "chain", chain);
    }

    @Override
    public void onStateChange(String chain, String upstream, HealthState from, HealthState to, String reason) {
        count("outlast_upstream_state_changes", "Upstream state transitions",
                "chain", chain, "upstream", upstream, "to", to.label());
    }

    /**
     * A meter's name and tags: the key of the meters already registered (per request, a lookup is
     * cheaper than Micrometer's). Several lookups run per request, so the key is a plain array with
     * its hash computed once rather than a record of lists iterated on every lookup.
     */
    private static final class MeterKey {
        private final String name;
        private final String[] tags;
        private final int hash;

        /** @param tags a varargs array: created for this call, never changed after */
        MeterKey(String name, String[] tags) {
            this.name = name;
            this.tags = tags;
            int h = name.hashCode();
            for (String tag : tags) {
                h = 31 * h + tag.hashCode();
            }
            hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MeterKey k && k.hash == hash && k.name.equals(name) && Arrays.equals(k.tags, tags);
        }
    }

    private void count(String name, String description, String... tags) {
        MeterKey key = new MeterKey(name, tags);
        Meter meter = meters.get(key);
        if (meter == null) {
            meter = meters.computeIfAbsent(key,
                    k -> Counter.builder(name).description(description).tags(tags).register(registry));
        }
        ((Counter) meter).increment();
    }

    /** Records a latency in a histogram from 1 ms to 30 s. */
    private void time(String name, String description, long nanos, String... tags) {
        MeterKey key = new MeterKey(name, tags);
        Meter meter = meters.get(key);
        if (meter == null) {
            meter = meters.computeIfAbsent(key,
                    k -> Timer.builder(name).description(description).tags(tags)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                            .register(registry));
        }
        ((Timer) meter).record(nanos, TimeUnit.NANOSECONDS);
    }
}
