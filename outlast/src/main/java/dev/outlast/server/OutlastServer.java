package dev.outlast.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.Flags;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import dev.outlast.admin.Admin;
import dev.outlast.admin.Responses;
import dev.outlast.cache.ResponseCache;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.frontdoor.DnsWiring;
import dev.outlast.frontdoor.FrontDoors;
import dev.outlast.routing.Chain;
import dev.outlast.routing.RoutingListener;
import dev.outlast.site.Site;
import dev.outlast.site.SiteListener;
import dev.outlast.store.HistoryStore;
import dev.outlast.time.Ticker;
import dev.outlast.websocket.SocketService;
import dev.outlast.transport.CallerLoopScheduler;
import dev.outlast.transport.HostMatcher;
import dev.outlast.transport.OutlastHeaders;
import dev.outlast.transport.WriteCoalescing;
import dev.outlast.transport.fastpath.FastPath;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Outlast: the HTTP server and everything behind it, built from one configuration.
 *
 * <p>Endpoints: {@code POST /rpc/{chain}}, {@code GET /healthz}, {@code GET /readyz},
 * {@code GET /metrics}, and the surfaces for people ({@link Admin}: {@code /api/v1/...},
 * {@code /status}, {@code /status/events}); every request whose {@code Host} is a site's host is
 * proxied to that site's origins. Front doors probe their CDN paths and write their DNS providers
 * (and answer from the built-in DNS server) in the background.
 *
 * <p>The constructor is the one place where the parts are built, in dependency order: monitoring
 * first (the chains and sites feed it), then the chains and sites, the maintenance drains, the front
 * doors, and the admin surfaces that act on them and show them, then the listener.
 *
 * <p>Thread-safe. {@link #close()} stops the server and every background task and waits for them.
 */
public final class OutlastServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutlastServer.class);

    /**
     * {@code configured}, its embedded bound lowered when the heap cannot hold it: with a warning when
     * {@code cache.maxSize} was configured, silently for the default (on a small heap, such as the one
     * {@code bin/outlast} gives one or two CPUs, the default is a quarter of the heap).
     */
    static CacheConfig cacheConfig(CacheConfig configured) {
        long heap = Runtime.getRuntime().maxMemory();
        CacheConfig fitted = configured.fittedToHeap(heap);
        if (fitted != configured && configured.maxBytesSet()) {
            log.warn("cache.maxSize is {} MiB but the JVM's heap is {} MiB, and cached answers take more memory"
                            + " than their JSON: bounding the cache to {} MiB (a quarter of the heap). Give the JVM"
                            + " more heap (OUTLAST_JAVA_OPTS=-Xmx...) or set cache.maxSize lower.",
                    configured.maxBytes() >> 20, heap >> 20, fitted.maxBytes() >> 20);
        }
        return fitted;
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Metrics metrics = new Metrics();
    private final EventLoopGroup loops;
    private final ClientFactory clientFactory;
    private final FailoverStormLog storms;
    private final Monitoring monitoring;
    private final ResponseCache cache;
    private final Map<String, Chain> chains;
    private final Map<String, Site> sites;
    private final MaintenanceDrains drains;
    private final FrontDoors frontDoors;
    private final Admin admin;
    private final FastPath fast;
    private final SocketService sockets;
    private final Server server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private CompletableFuture<Void> closing;

    private OutlastServer(OutlastConfig config) {
        Clock clock = Clock.systemUTC();
        // One group of event loops serves clients, runs upstream and origin calls and every timer:
        // one loop per core by default (Armeria's own default, two per core, only adds threads that
        // compete for the same cores; docs/benchmarks.md).
        loops = EventLoopGroups.newEventLoopGroup(config.server().effectiveEventLoops(), "outlast-loop", true);
        ScheduledExecutorService scheduler = loops;
        // A call to an upstream or origin runs on the loop of the request it serves (see CallerLoopScheduler).
        clientFactory = ClientFactory.builder()
                .workerGroup(loops, false)
                .idleTimeout(Duration.ofSeconds(30))
                .connectTimeout(Duration.ofSeconds(3))
                .eventLoopSchedulerFactory(CallerLoopScheduler::new)
                .connectionPoolListener(WriteCoalescing.client())
                .build();
        storms = new FailoverStormLog(scheduler);
        monitoring = openMonitoring(config, clock);
        cache = config.cache().enabled() ? new ResponseCache(cacheConfig(config.cache()), metrics) : null;
        if (cache != null) {
            metrics.register(cache);
        }
        RoutingListener listener = RoutingListener.both(RoutingListener.both(metrics, storms),
                monitoring.routingListener());
        Map<String, Chain> chainsById = new LinkedHashMap<>();
        for (ChainConfig c : config.chains()) {
            Chain chain = new Chain(c, clientFactory, scheduler, Ticker.system(), listener, cache,
                    config.cache().reorgHorizon());
            chainsById.put(c.id(), chain);
            metrics.register(chain);
        }
        chains = Collections.unmodifiableMap(chainsById);
        Map<String, Site> sitesById = new LinkedHashMap<>();
        for (SiteConfig c : config.sites()) {
            Site site = new Site(c, clientFactory, scheduler, Ticker.system(), clock,
                    SiteListener.both(metrics, monitoring.siteListener()));
            sitesById.put(c.id(), site);
            metrics.register(site);
        }
        sites = Collections.unmodifiableMap(sitesById);
        drains = new MaintenanceDrains(config.ops().maintenance(), clock, scheduler, chains.values(), sites.values());
        frontDoors = new FrontDoors(config.frontDoors(), config.ops().maintenance(), new DnsWiring(clientFactory, clock),
                clientFactory, CommonPools.blockingTaskExecutor(), scheduler, clock, monitoring.frontDoorListener());
        admin = new Admin(config.ops(), clock, scheduler, chains, sites, monitoring, frontDoors);
        RpcService rpc = new RpcService(chains, config.server(), metrics);
        HostMatcher<Site> hosts = SiteHosts.matcher(sites.values());
        // Plain JSON-RPC calls and sites' GETs over HTTP/1.1 are answered right behind Armeria's HTTP/1 decoder.
        fast = new FastPath(rpc, hosts, config.server().maxRequestBytes(), config.server().idleTimeout(),
                Ticker.system());
        sockets = new SocketService(chains, rpc, config.server().webSocket(), config.server().maxRequestBytes(),
                clientFactory, scheduler, metrics.registry());
        server = server(config, rpc, hosts);
    }

    /**
     * Opens the history store and builds the monitoring on it.
     *
     * @throws dev.outlast.store.StoreException when the store cannot be opened (after releasing
     *         what was built before)
     */
    private Monitoring openMonitoring(OutlastConfig config, Clock clock) {
        try {
            HistoryStore store = HistoryStore.open(config.ops().storage());
            log.info("history in {}", store.description());
            return new Monitoring(config, store, clientFactory, loops, clock, metrics.registry());
        } catch (RuntimeException e) {
            storms.close();
            clientFactory.close();
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    private Server server(OutlastConfig config, RpcService rpc, HostMatcher<Site> hosts) {
        Duration longest = Duration.ZERO;
        for (ChainConfig c : config.chains()) {
            if (c.requestTimeout().compareTo(longest) > 0) {
                longest = c.requestTimeout();
            }
        }
        ServerBuilder sb = Server.builder()
                .workerGroup(loops, false)
                .http(new InetSocketAddress(config.server().host(), config.server().port()))
                .requestTimeout(longest.plusSeconds(5))
                .maxRequestLength(config.server().maxRequestBytes())
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(2))
                .idleTimeout(config.server().idleTimeout())
                .disableServerHeader()
                .errorHandler(new RpcErrorHandler(config.server().maxRequestBytes()));
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
        // A WebSocket upgrade on the same path is the WebSocket endpoint (its own route: a socket has no
        // request timeout or body limit); every other request is the RPC service's.
        HttpService socketService = sockets.service();
        sb.route().get("/rpc/{chain}").matchesHeaders(HttpHeaderNames.UPGRADE, SocketService::isWebSocket)
                .build(socketService);
        // over HTTP/2, a WebSocket is an extended CONNECT (RFC 8441)
        sb.route().path("/rpc/{chain}").methods(HttpMethod.CONNECT).build(socketService);
        // every method but CONNECT (the WebSocket's over HTTP/2): the service answers others with 405
        sb.route().path("/rpc/{chain}").methods(HttpMethod.knownMethods().stream()
                        .filter(m -> m != HttpMethod.CONNECT).toList())
                .build(rpc
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
        sb.service("/readyz", (ctx, req) -> ready(chains, sites));
        sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape()));
        admin.routes(sb);
        // A site owns every path of its host, the gateway's own paths included; other hosts reach the gateway.
        SiteHosts.bind(sb, sites.values(), hosts);
        return sb.build();
    }

    /** Starts serving {@code config}; returns once the listener is bound. */
    public static OutlastServer start(OutlastConfig config) {
        OutlastServer outlast = new OutlastServer(config);
        try {
            outlast.server.start().join();
            outlast.frontDoors.start();
        } catch (RuntimeException e) {
            outlast.close();
            throw e;
        }
        outlast.chains.values().forEach(Chain::start);
        outlast.sockets.start();
        outlast.admin.start();
        outlast.drains.start();
        outlast.monitoring.start();
        outlast.sites.values().forEach(Site::start);
        String address = "http://" + config.server().hostForUrl() + ':' + outlast.port();
        int loops = config.server().effectiveEventLoops();
        log.info("outlast listening on {} ({}, {} event loop{}) serving {}", address,
                 Flags.transportType().lowerCasedName(), loops, loops == 1 ? "" : "s",
                 String.join(", ", Stream.of(
                         outlast.chains.keySet().stream().map(id -> address + "/rpc/" + id),
                         outlast.sites.values().stream().map(s -> "site " + s.id() + " (Host: " + s.config().host() + ")"),
                         config.frontDoors().stream().map(d -> "front door " + d.name() + " (" + d.hostname() + ")"))
                         .flatMap(x -> x).toList()));
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
        return Responses.json(all ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
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
    public Monitoring monitoring() {
        return monitoring;
    }

    /** The front doors being steered. */
    public FrontDoors frontDoors() {
        return frontDoors;
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
            drains.close();
            frontDoors.close();
            admin.close();
            monitoring.close();
            fast.stopping();
            sockets.close();
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
