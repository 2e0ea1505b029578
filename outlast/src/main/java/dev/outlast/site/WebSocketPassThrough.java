package dev.outlast.site;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.websocket.WebSocketClient;
import com.linecorp.armeria.client.websocket.WebSocketClientHandshakeException;
import com.linecorp.armeria.client.websocket.WebSocketSession;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.websocket.WebSocketService;
import com.linecorp.armeria.server.websocket.WebSocketServiceHandler;
import dev.outlast.attribution.Attribution;
import dev.outlast.transport.FailureKind;
import dev.outlast.transport.client.ArmeriaFailures;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WebSocket pass-through for a site: the client's upgrade is accepted, a WebSocket is opened to the
 * first origin (in {@link Site#order()}) that accepts one, and frames flow both ways until either
 * side closes. An origin that refuses or cannot be reached before the upgrade is skipped for the
 * next; once open, a connection is not moved (a WebSocket has no request to repeat).
 *
 * <p>End-to-end request headers (cookies, authorization, {@code Origin}, the {@code X-Forwarded-*}
 * set) go to the origin; subprotocol negotiation is not proxied. Frames up to
 * {@value #MAX_FRAME} bytes.
 *
 * <p>Thread-safe.
 */
final class WebSocketPassThrough implements WebSocketServiceHandler {

    static final int MAX_FRAME = 1024 * 1024;
    private static final Set<String> HANDSHAKE = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol", "content-length");

    private final Site site;
    private final ClientFactory factory;
    private final Map<String, WebSocketClient> clients = new ConcurrentHashMap<>();

    private WebSocketPassThrough(Site site, ClientFactory factory) {
        this.site = site;
        this.factory = factory;
    }

    /** The site's service: WebSocket upgrades are passed through, every other request is proxied by {@code site}. */
    static HttpService service(Site site, ClientFactory factory) {
        return WebSocketService.builder(new WebSocketPassThrough(site, factory))
                .fallbackService(site)
                .allowedOrigin(origin -> true)
                .maxFramePayloadLength(MAX_FRAME)
                .build();
    }

    @Override
    public WebSocket handle(ServiceRequestContext ctx, WebSocket in) {
        ctx.clearRequestTimeout();
        RequestHeaders request = ctx.request().headers();
        CompletableFuture<StreamMessage<WebSocketFrame>> opened = new CompletableFuture<>();
        connect(ctx, request, in, site.order().iterator(), opened, null);
        return WebSocket.of(StreamMessage.of(opened));
    }

    private void connect(ServiceRequestContext ctx, RequestHeaders request, WebSocket in, Iterator<Origin> origins,
                         CompletableFuture<StreamMessage<WebSocketFrame>> opened, Throwable last) {
        if (!origins.hasNext()) {
            in.abort();
            opened.complete(StreamMessage.aborted(last != null ? last : new IllegalStateException("no origin")));
            return;
        }
        Origin origin = origins.next();
        HttpHeaders headers = headers(ctx, request, origin);
        long start = site.ticker().nanos();
        client(origin).connect(origin.path(request.path()), headers).handle((WebSocketSession session, Throwable e) -> {
            long latency = site.ticker().nanos() - start;
            if (e != null) {
                OriginFailure failure = refusal(e);
                if (failure == null) {
                    failure = Attempts.fromFailure(site,
                                                   ArmeriaFailures.of(e, site.config().responseTimeout()));
                }
                origin.failed(failure, latency);
                site.listener().onOriginReply(site.id(), origin.name(), failure.kind().label(), "none", latency);
                connect(ctx, request, in, origins, opened, e);
                return null;
            }
            origin.succeeded(latency);
            site.listener().onOriginReply(site.id(), origin.name(), "ok", "none", latency);
            session.setOutbound(in);
            opened.complete(session.inbound());
            return null;
        });
    }

    /** An origin that answered the upgrade with something other than a WebSocket, or null. */
    private OriginFailure refusal(Throwable e) {
        Throwable cause = Exceptions.peel(e);
        if (!(cause instanceof WebSocketClientHandshakeException handshake)) {
            return null;
        }
        int status = handshake.headers().status().code();
        return new OriginFailure(site.clock().instant(), status >= 500 ? FailureKind.HTTP_5XX : FailureKind.HTTP_4XX,
                                 status, Attribution.UNKNOWN, false, "WebSocket upgrade refused with HTTP " + status);
    }

    private WebSocketClient client(Origin origin) {
        return clients.computeIfAbsent(origin.name(), n -> WebSocketClient
                .builder((origin.tls() ? "wss" : "ws") + "://" + origin.authority())
                .factory(factory)
                .autoFillOriginHeader(false)
                .maxFramePayloadLength(MAX_FRAME)
                .build());
    }

    private static HttpHeaders headers(ServiceRequestContext ctx, RequestHeaders request, Origin origin) {
        RequestHeaders forwarded = ForwardedHeaders.toOrigin(request, request.path(), origin.authority(), Client.of(ctx));
        HttpHeadersBuilder out = HttpHeaders.builder();
        forwarded.forEach((name, value) -> {
            String n = name.toString();
            if (!n.startsWith(":") && !HANDSHAKE.contains(n)) {
                out.add(name, value);
            }
        });
        return out.build();
    }
}
