package dev.outlast.site;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.health.HealthState;
import dev.outlast.health.HealthView;
import dev.outlast.time.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied site: its origins with their health, its cache, and the {@link HttpService} that
 * serves every request whose {@code Host} is the site's host.
 *
 * <h2>Implementation note</h2>
 * Origins are tried in {@link #order()}: the usable ones (circuit closed, or half-open and free to
 * take one probe) with the healthy before the degraded, each group in configuration order; then,
 * as last resorts, the unusable ones by score. Unlike RPC upstreams, sites are not load-spread:
 * the first configured origin is the primary path and the others are standby paths through other
 * vendors, which keeps each vendor's cache warm and the costs predictable. Health is the
 * {@link dev.outlast.health.EndpointHealth} RPC upstreams have too, fed by every live attempt (passive
 * outlier detection: consecutive failures or a high error rate open the circuit) and by the active
 * checks of {@link HealthChecks}.
 *
 * <p>Thread-safe.
 */
public final class Site implements HttpService, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Site.class);

    private final SiteConfig config;
    private final List<Origin> origins;
    private final StaleCache cache;
    private final SiteListener listener;
    private final Ticker ticker;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final HealthChecks checks;
    private final Set<String> revalidating = ConcurrentHashMap.newKeySet();
    private final HttpService service;

    public Site(SiteConfig config, ClientFactory factory, ScheduledExecutorService scheduler, Ticker ticker,
                Clock clock, SiteListener listener) {
        this.config = config;
        this.ticker = ticker;
        this.clock = clock;
        this.scheduler = scheduler;
        this.listener = listener;
        List<Origin> list = new ArrayList<>();
        for (OriginConfig oc : config.origins()) {
            list.add(new Origin(oc, factory, ticker, (name, from, to, reason) -> {
                boolean worse = to == HealthState.DOWN;
                String line = "site {} origin {}: {} -> {}: {}";
                Object[] args = {config.id(), name, from.label(), to.label(), reason};
                if (worse) {
                    log.warn(line, args);
                } else {
                    log.info(line, args);
                }
                listener.onOriginStateChange(config.id(), name, from, to, reason);
            }));
        }
        this.origins = List.copyOf(list);
        this.cache = new StaleCache(config, ticker);
        this.checks = new HealthChecks(this, scheduler);
        this.service = WebSocketPassThrough.service(this, factory);
    }

    /**
     * What to bind for the site's host: WebSocket upgrades are passed through to an origin, every
     * other request goes to {@link #serve}.
     */
    public HttpService service() {
        return service;
    }

    public String id() {
        return config.id();
    }

    public SiteConfig config() {
        return config;
    }

    public List<Origin> origins() {
        return origins;
    }

    /** Starts the active health checks. */
    public void start() {
        checks.start();
    }

    /** True when at least one origin is usable now. */
    public boolean isReady() {
        return origins.stream().anyMatch(o -> o.health().isUsable());
    }

    StaleCache cache() {
        return cache;
    }

    /** The stale cache now: {@code {stored responses, their total weight in bytes}}. */
    public long[] cacheStats() {
        return cache.stats();
    }

    SiteListener listener() {
        return listener;
    }

    Ticker ticker() {
        return ticker;
    }

    Clock clock() {
        return clock;
    }

    /** The timers of the site's requests (pauses before retries) and of its checks. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The origins in the order to try them for one request (see the implementation note). Read only. */
    List<Origin> order() {
        if (inConfiguredOrder()) {
            return origins;
        }
        List<Origin> usable = new ArrayList<>(origins.size());
        List<Origin> rest = new ArrayList<>();
        for (Origin o : origins) {
            (o.health().isUsable() ? usable : rest).add(o);
        }
        usable.sort(Comparator.comparingInt(o -> o.health().state() == HealthState.HEALTHY ? 0 : 1));
        rest.sort(Comparator.comparingDouble(o -> o.health().score()));
        usable.addAll(rest);
        return usable;
    }

    /**
     * True when the configured order is the order: the usable origins first, the healthy before the
     * degraded, and at most one last resort. The usual case, answered without a copy.
     */
    private boolean inConfiguredOrder() {
        long now = ticker.nanos();
        int previous = 0;
        for (int i = 0; i < origins.size(); i++) {
            HealthView h = origins.get(i).health().current();
            int rank = !h.isUsable(now) ? 2 : h.state(now) == HealthState.HEALTHY ? 0 : 1;
            if (rank < previous || (rank == 2 && previous == 2)) {
                return false;
            }
            previous = rank;
        }
        return true;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        // The body streams for as long as it takes; the origin's response timeout covers the wait for headers.
        ctx.clearRequestTimeout();
        ctx.setMaxRequestLength(0);
        return new ProxyCall(this, Client.of(ctx), req, false).run();
    }

    /**
     * Serves a request without a body that reached the server outside Armeria's services (the
     * server's fast path): the same proxying, cache and failover as {@link #serve(ServiceRequestContext,
     * HttpRequest)}. Call on the client connection's event loop ({@link Client}); the response is
     * produced there, and is complete at once when it comes from the cache.
     *
     * @param headers the request's headers, {@code :path} normalised as Armeria's server does
     * @param client  the client connection (its loop, address and whether it is TLS)
     */
    public CompletableFuture<HttpResponse> serve(RequestHeaders headers, Client client) {
        return new ProxyCall(this, client, HttpRequest.of(headers), false).start();
    }

    /** Fetches a stale-while-revalidate entry again in the background, once at a time per URL. */
    void revalidate(Client client, RequestHeaders headers) {
        if (!revalidating.add(headers.path())) {
            return;
        }
        HttpResponse response = new ProxyCall(this, client, HttpRequest.of(headers), true).run();
        response.subscribe().handle((x, e) -> revalidating.remove(headers.path()));
    }

    @Override
    public void close() {
        checks.close();
        origins.forEach(Origin::close);
    }
}
