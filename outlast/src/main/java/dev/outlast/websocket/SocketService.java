package dev.outlast.websocket;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.stream.StreamTimeoutMode;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.websocket.WebSocketService;
import com.linecorp.armeria.server.websocket.WebSocketServiceHandler;
import dev.outlast.config.WebSocketConfig;
import dev.outlast.routing.Chain;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.subscription.BlockFeed;
import dev.outlast.subscription.PendingFeed;
import dev.outlast.transport.fastpath.RpcEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket endpoint, {@code ws://host/rpc/{chain}}: the same JSON-RPC as {@code POST /rpc/{chain}}
 * plus {@code eth_subscribe} / {@code eth_unsubscribe}, one {@link SocketSession} per connection, one
 * {@link BlockFeed} per chain shared by every subscription on it.
 *
 * <p>Upgrades are refused before they happen with a JSON-RPC error body: {@code 404} for an unknown
 * chain, {@code 429} when the client address already holds {@code maxConnectionsPerClient}
 * connections. A frame over {@code server.maxRequestBytes} closes the connection with 1009.
 *
 * <p>Thread-safe.
 */
public final class SocketService implements WebSocketServiceHandler, AutoCloseable {

    /** What a chain's subscriptions are fed by. */
    record ChainFeeds(BlockFeed blocks, PendingFeed pending) {
    }

    private final Map<String, Chain> chains;
    private final RpcEndpoint rpc;
    private final WebSocketConfig limits;
    private final int maxFrameBytes;
    private final ScheduledExecutorService timers;
    private final Map<String, ChainFeeds> feeds = new HashMap<>();
    private final java.util.List<UpstreamSocket> upstreamSockets = new java.util.ArrayList<>();
    private final java.util.List<PendingPoller> pollers = new java.util.ArrayList<>();
    private final Set<SocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final SocketMetrics metrics;
    private final java.util.List<ScheduledFuture<?>> pokes = new java.util.ArrayList<>();

    /**
     * @param factory the client factory sockets to upstreams with a {@code ws:} URL are opened with
     */
    public SocketService(Map<String, Chain> chains, RpcEndpoint rpc, WebSocketConfig limits, int maxFrameBytes,
                         ClientFactory factory, ScheduledExecutorService timers, MeterRegistry registry) {
        this.chains = chains;
        this.rpc = rpc;
        this.limits = limits;
        this.maxFrameBytes = maxFrameBytes;
        this.timers = timers;
        this.metrics = new SocketMetrics(registry, sessions);
        for (Chain chain : chains.values()) {
            BlockFeed feed = new BlockFeed(chain.id(), new ChainFeedSource(chain));
            List<Consumer<Boolean>> pendingSources = new java.util.ArrayList<>();
            PendingFeed pending = new PendingFeed(wanted -> pendingSources.forEach(s -> s.accept(wanted)));
            Map<String, URI> sockets = new HashMap<>();
            chain.config().upstreams().stream().filter(c -> c.ws() != null).forEach(c -> sockets.put(c.name(), c.ws()));
            for (ChainUpstream u : chain.upstreams()) {
                URI ws = sockets.get(u.name());
                if (ws != null) {
                    UpstreamSocket socket = new UpstreamSocket(chain, u, ws, factory, timers, pending, metrics::reopened);
                    upstreamSockets.add(socket);
                    pendingSources.add(socket::pendingWanted);
                } else {
                    PendingPoller poller = new PendingPoller(u, pending, chain.config().headPollInterval(), timers);
                    pollers.add(poller);
                    pendingSources.add(poller::pendingWanted);
                }
            }
            feeds.put(chain.id(), new ChainFeeds(feed, pending));
            chain.onHeadAdvance(feed::poke);
            // a round that could not read a block is tried again without waiting for the next block
            long every = chain.config().headPollInterval().toNanos();
            pokes.add(timers.scheduleWithFixedDelay(feed::poke, every, every, TimeUnit.NANOSECONDS));
            metrics.feed(chain.id(), feed, pending);
        }
        metrics.upstreamSockets(upstreamSockets);
    }

    /** Opens the sockets to upstreams with a {@code ws:} URL. */
    public void start() {
        upstreamSockets.forEach(UpstreamSocket::start);
    }

    /** Whether an {@code Upgrade} header asks for a WebSocket. */
    public static boolean isWebSocket(Object upgrade) {
        return upgrade != null && "websocket".equalsIgnoreCase(upgrade.toString());
    }

    /** The service of WebSocket upgrades on {@code /rpc/{chain}}. */
    public HttpService service() {
        WebSocketService ws = WebSocketService.builder(this)
                .maxFramePayloadLength(maxFrameBytes)
                .aggregateContinuation(true)
                .allowedOrigins("*")
                .build();
        return ws.decorate((delegate, ctx, req) -> {
            String chain = ctx.pathParam("chain");
            if (!chains.containsKey(chain)) {
                return refuse(HttpStatus.NOT_FOUND, OutlastError.UNKNOWN_CHAIN, "Unknown chain: " + chain);
            }
            AtomicInteger open = perClient.computeIfAbsent(ctx.clientAddress(), a -> new AtomicInteger());
            if (open.get() >= limits.maxConnectionsPerClient()) {
                metrics.dropped("too_many_connections");
                return refuse(HttpStatus.TOO_MANY_REQUESTS, OutlastError.INVALID_REQUEST, "This address already holds "
                        + open.get() + " WebSocket connections (webSocket.maxConnectionsPerClient)");
            }
            return delegate.serve(ctx, req);
        });
    }

    private static HttpResponse refuse(HttpStatus status, OutlastError error, String message) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":" + RpcErrors.of(error, message) + "}";
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body);
    }

    @Override
    public WebSocket handle(ServiceRequestContext ctx, WebSocket in) {
        Chain chain = chains.get(ctx.pathParam("chain"));
        WebSocketWriter out = WebSocket.streaming();
        InetAddress client = ctx.clientAddress();
        AtomicInteger open = perClient.computeIfAbsent(client, a -> new AtomicInteger());
        open.incrementAndGet();
        SocketSession[] self = new SocketSession[1];
        self[0] = new SocketSession(chain, feeds.get(chain.id()), rpc, out, limits, metrics, ctx.eventLoop(), () -> {
            sessions.remove(self[0]);
            if (open.decrementAndGet() <= 0) {
                perClient.remove(client, open);
            }
        });
        sessions.add(self[0]);
        in.timeout(limits.idleTimeout(), StreamTimeoutMode.UNTIL_NEXT).subscribe(self[0], ctx.eventLoop());
        return out;
    }

    @Override
    public void close() {
        pokes.forEach(p -> p.cancel(false));
        upstreamSockets.forEach(UpstreamSocket::close);
        pollers.forEach(PendingPoller::close);
    }
}
