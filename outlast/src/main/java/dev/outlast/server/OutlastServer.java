package dev.outlast.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.Flags;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import dev.outlast.cache.ResponseCache;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.ops.Operations;
import dev.outlast.routing.Chain;
import dev.outlast.routing.RoutingListener;
import dev.outlast.site.Site;
import dev.outlast.site.SitesApi;
import dev.outlast.time.Ticker;
import dev.outlast.transport.CallerLoopScheduler;
import dev.outlast.transport.HostMatcher;
import dev.outlast.transport.OutlastHeaders;
import dev.outlast.transport.WriteCoalescing;
import dev.outlast.transport.fastpath.FastPath;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Outlast: the HTTP server and everything behind it, built from one configuration.
 *
 * <p>Endpoints: {@code POST /rpc/{chain}}, {@code GET /healthz}, {@code GET /readyz},
 * {@code GET /metrics}, {@code GET /api/v1/upstreams}, {@code GET /api/v1/sites}, {@code GET /status},
 * and the monitor's {@code /api/v1/incidents}, {@code /api/v1/monitors}, admin writes and
 * {@code /status/events} ({@link Operations}); every request whose {@code Host} is a site's host is
 * proxied to that site's origins.
 *
 * <p>Thread-safe. {@link #close()} stops the server and every background task and waits for them.
 */
public final class OutlastServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutlastServer.class);

    /** {@code configured}, its embedded bound lowered (with a warning) when the heap cannot hold it. */
    static CacheConfig cacheConfig(CacheConfig configured) {
        long heap = Runtime.getRuntime().maxMemory();
        CacheConfig fitted = configured.fittedToHeap(heap);
        if (fitted != configured) {
            log.warn("cache.maxSize is {} MiB but the JVM's heap is {} MiB, and cached answers take more memory"
                            + " than their JSON: bounding the cache to {} MiB (a quarter of the heap). Give the JVM"
                            + " more heap (OUTLAST_JAVA_OPTS=-Xmx...) or set cache.maxSize lower.",
                    configured.maxBytes() >> 20, heap >> 20, fitted.maxBytes() >> 20);
        }
        return fitted;
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final ClientFactory clientFactory;
    private final Map<String, Chain> chains;
    private final Map<String, Site> sites;
    private final Metrics metrics;
    private final FailoverStormLog storms;
    private final ResponseCache cache;
    private final Operations ops;
    private final EventLoopGroup loops;
    private final FastPath fast;
    private final CountDownLatch closed = new CountDownLatch(1);
    private CompletableFuture<Void> closing;

    private OutlastServer(Server server, ClientFactory clientFactory, Map<String, Chain> chains,
                          Map<String, Site> sites, Metrics metrics, FailoverStormLog storms, ResponseCache cache,
                          Operations ops, EventLoopGroup loops, FastPath fast) {
        this.server = server;
        this.fast = fast;
        this.loops = loops;
        this.sites = sites;
        this.cache = cache;
        this.ops = ops;
        this.storms = storms;
        this.clientFactory = clientFactory;
        this.chains = chains;
        this.metrics = metrics;
    }

    /** Starts serving {@code config}; returns once the listener is bound. */
    public static OutlastServer start(OutlastConfig config) {
        Metrics metrics = new Metrics();
        // One group of event loops serves clients, runs upstream and origin calls and every timer:
        // one loop per core by default (Armeria's own default, two per core, only adds threads that
        // compete for the same cores; docs/benchmarks.md).
        EventLoopGroup loops = EventLoopGroups.newEventLoopGroup(config.server().effectiveEventLoops(),
                "outlast-loop", true);
        // A call to an upstream or origin runs on the loop of the request it serves (see CallerLoopScheduler).
        ClientFactory factory = ClientFactory.builder()
                .workerGroup(loops, false)
                .idleTimeout(Duration.ofSeconds(30))
                .connectTimeout(Duration.ofSeconds(3))
                .eventLoopSchedulerFactory(CallerLoopScheduler::new)
                .connectionPoolListener(WriteCoalescing.client())
                .build();
        ScheduledExecutorService scheduler = loops;
        FailoverStormLog storms = new FailoverStormLog(scheduler);
        Operations ops;
        try {
            ops = Operations.create(config.ops(), factory, scheduler, Clock.systemUTC());
        } catch (RuntimeException e) {
            storms.close();
            factory.close();
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        RoutingListener listener = RoutingListener.both(RoutingListener.both(metrics, storms), ops.routingListener());
        ResponseCache cache = config.cache().enabled() ? new ResponseCache(cacheConfig(config.cache()), metrics) : null;
        if (cache != null) {
            metrics.register(cache);
        }
        Map<String, Chain> chains = new LinkedHashMap<>();
        Duration longest = Duration.ZERO;
        for (ChainConfig c : config.chains()) {
            Chain chain = new Chain(c, factory, scheduler, Ticker.system(), listener, cache,
                    config.cache().reorgHorizon());
            chains.put(c.id(), chain);
            metrics.register(chain);
            if (c.requestTimeout().compareTo(longest) > 0) {
                longest = c.requestTimeout();
            }
        }
        Map<String, Chain> view = java.util.Collections.unmodifiableMap(chains);
        Map<String, Site> sites = new LinkedHashMap<>();
        for (SiteConfig c : config.sites()) {
            Site site = new Site(c, factory, scheduler, Ticker.system(), Clock.systemUTC(),
                    dev.outlast.site.SiteListener.both(metrics, ops.siteListener()));
            sites.put(c.id(), site);
            metrics.register(site);
        }
        Map<String, Site> siteView = java.util.Collections.unmodifiableMap(sites);

        ServerBuilder sb = Server.builder()
                .workerGroup(loops, false)
                .http(new InetSocketAddress(config.server().host(), config.server().port()))
                .requestTimeout(longest.plusSeconds(5))
                .maxRequestLength(config.server().maxRequestBytes())
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(2))
                .idleTimeout(config.server().idleTimeout())
                .disableServerHeader()
                .errorHandler(new RpcErrorHandler(config.server().maxRequestBytes()));
        RpcService rpc = new RpcService(view, config.server(), metrics);
        HostMatcher<Site> hosts = SiteHosts.matcher(sites.values());
        // Plain JSON-RPC calls and sites' GETs over HTTP/1.1 are answered right behind Armeria's HTTP/1 decoder.
        FastPath fast = new FastPath(rpc, hosts, config.server().maxRequestBytes(), config.server().idleTimeout(),
                Ticker.system());
        boolean fastPath = config.server().fastPath();
        sb.childChannelPipelineCustomizer(pipeline -> {
            WriteCoalescing.coalesce(pipeline);
            if (fastPath) {
                fast.install(pipeline);
            }
        });
        // Browser dApps call the RPC endpoint from their own origin: answer CORS preflights. Armeria's
        // CorsService passes every answer through a filtering stream to add headers it only adds when
        // the request has an Origin; requests without one (servers, scripts, every non-browser client)
        // go straight to the service, which is the same answer without that layer.
        sb.service("/rpc/{chain}", rpc
                .decorate(CorsService.builderForAnyOrigin()
                        .allowRequestMethods(HttpMethod.POST, HttpMethod.OPTIONS)
                        .allowRequestHeaders("content-type", "authorization")
                        .exposeHeaders(OutlastHeaders.UPSTREAM, OutlastHeaders.CONSENSUS,
                                OutlastHeaders.VERIFIED, OutlastHeaders.CACHE)
                        .maxAge(Duration.ofHours(1))
                        .newDecorator())
                .decorate((cors, ctx, req) -> req.headers().contains(HttpHeaderNames.ORIGIN)
                        ? cors.serve(ctx, req) : rpc.serve(ctx, req)));
        sb.service("/healthz", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n"));
        sb.service("/readyz", (ctx, req) -> ready(view, siteView));
        sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape()));
        sb.service("/api/v1/upstreams", (ctx, req) -> json(HttpStatus.OK, AdminApi.upstreams(view.values())));
        ops.attach(view, () -> StatusPage.chains(view.values()));
        ops.attachSites(siteView);
        ops.bindMetrics(metrics.registry());
        ops.routes(sb);
        sb.service("/api/v1/sites", (ctx, req) -> json(HttpStatus.OK, SitesApi.sites(siteView.values())));
        // A site owns every path of its host, the gateway's own paths included; other hosts reach the gateway.
        SiteHosts.bind(sb, sites.values(), hosts);
        sb.service("/status", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8,
                StatusPage.render(view.values(), ops.statusHtml())));

        Server server = sb.build();
        OutlastServer outlast = new OutlastServer(server, factory, view, siteView, metrics, storms, cache, ops,
                loops, fast);
        try {
            server.start().join();
        } catch (RuntimeException e) {
            outlast.close();
            throw e;
        }
        chains.values().forEach(Chain::start);
        ops.start();
        sites.values().forEach(Site::start);
        log.info("outlast listening on http://{}:{} ({}, {} event loops) serving {}", config.server().host(),
                 outlast.port(), Flags.transportType().lowerCasedName(), config.server().effectiveEventLoops(),
                 String.join(", ", java.util.stream.Stream.concat(
                         chains.keySet().stream().map(id -> "/rpc/" + id),
                         sites.values().stream().map(s -> "site " + s.id() + " (Host: " + s.config().host() + ")"))
                         .toList()));
        return outlast;
    }

    private static HttpResponse ready(Map<String, Chain> chains, Map<String, Site> sites) {
        ObjectNode body = JSON.createObjectNode();
        boolean all = true;
        ObjectNode per = body.putObject("chains");
        for (Chain chain : chains.values()) {
            boolean ready = chain.isReady();
            all &= ready;
            per.put(chain.id(), ready ? "ready" : "no usable upstream");
        }
        if (!sites.isEmpty()) {
            ObjectNode perSite = body.putObject("sites");
            for (Site site : sites.values()) {
                boolean ready = site.isReady();
                all &= ready;
                perSite.put(site.id(), ready ? "ready" : "no usable origin");
            }
        }
        body.put("ready", all);
        return json(all ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    private static HttpResponse json(HttpStatus status, ObjectNode body) {
        try {
            return HttpResponse.of(ResponseHeaders.of(status, "content-type", MediaType.JSON_UTF_8.toString()),
                    HttpData.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bound port (useful when the configured port is 0). */
    public int port() {
        return server.activeLocalPort();
    }

    /** The chains being served, by id. */
    public Map<String, Chain> chains() {
        return chains;
    }

    /** Monitoring, incidents, alerts and history. */
    public Operations operations() {
        return ops;
    }

    /** The fast path, for tests: how many requests it answered. */
    FastPath fastPath() {
        return fast;
    }

    /** The sites being proxied, by id. */
    public Map<String, Site> sites() {
        return sites;
    }

    /** Blocks until the server is closed (by {@link #close()} or a shutdown signal). */
    public void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling at once, then the listener and the upstream connections; completes when all are down. */
    public synchronized CompletableFuture<Void> closeAsync() {
        if (closing == null) {
            chains.values().forEach(Chain::close);
            sites.values().forEach(Site::close);
            storms.close();
            if (cache != null) {
                cache.close();
            }
            ops.close();
            fast.stopping();
            closing = server.stop()
                    .thenCompose(x -> clientFactory.closeAsync())
                    .<Void>thenApply(x -> null)
                    .handle((x, e) -> {
                        metrics.registry().close();
                        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                        closed.countDown();
                        return null;
                    });
        }
        return closing;
    }

    @Override
    public void close() {
        closeAsync().join();
    }
}
