package dev.outlast.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.ResponseTimeoutMode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.SplitHttpResponse;
import dev.outlast.attribution.Attributor;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.time.Ticker;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Probes one target through its own CDN path: a GET of the probe's URL, connected to
 * {@code connectTo} (the CDN's edge; by default the target's CNAME or first address), while the
 * URL's host is the {@code Host} header, the TLS SNI and the name the edge's certificate must carry,
 * as for a browser that resolved the hostname to that edge. Each answer is classified by
 * {@link PathFailures}; {@link #run} never completes exceptionally.
 *
 * <p>The edge's name is resolved on {@code blocking}, never on an event loop, once per probe (CDN
 * edges rotate their addresses). Each probe has one deadline from its start, connection included.
 *
 * <p>Thread-safe.
 */
public final class PathProbe {

    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final URI url;
    private final String connectHost;
    private final int connectPort;
    private final Duration timeout;
    private final Duration interval;
    private final ClientFactory factory;
    private final Executor blocking;
    private final Ticker ticker;

    /**
     * @param factory  the client factory (its TLS trust decides which certificates pass)
     * @param blocking where the edge's name is resolved
     */
    public PathProbe(FrontDoorConfig.Target target, FrontDoorConfig.Steering steering, ClientFactory factory,
                     Executor blocking, Ticker ticker) {
        FrontDoorConfig.Probe probe = target.probe();
        this.url = probe.url();
        this.connectHost = probe.connectHost() != null ? probe.connectHost() : target.defaultConnectHost();
        this.connectPort = probe.connectPort() != 0 ? probe.connectPort() : port(url);
        this.timeout = probe.timeout() != null ? probe.timeout() : steering.probeTimeout();
        this.interval = probe.interval() != null ? probe.interval() : steering.probeInterval();
        this.factory = factory;
        this.blocking = blocking;
        this.ticker = ticker;
    }

    /** Time between two probes. */
    public Duration interval() {
        return interval;
    }

    /** Where the probe connects, {@code host:port}. */
    public String connectTo() {
        return (connectHost.contains(":") ? "[" + connectHost + "]" : connectHost) + ":" + connectPort;
    }

    /** Runs one probe. */
    public CompletableFuture<ProbeResult> run() {
        long start = ticker.nanos();
        return CompletableFuture.supplyAsync(this::resolve, blocking)
                .thenCompose(this::get)
                .exceptionally(e -> PathFailures.of(e, timeout, connectTo(), millisSince(start)));
    }

    private InetAddress resolve() {
        try {
            return InetAddress.getByName(connectHost);
        } catch (UnknownHostException e) {
            throw new CompletionException(e);
        }
    }

    private CompletableFuture<ProbeResult> get(InetAddress address) {
        long start = ticker.nanos();
        Endpoint edge = Endpoint.of(url.getHost(), connectPort).withIpAddr(address.getHostAddress());
        WebClient client = WebClient.builder(SessionProtocol.of(url.getScheme().toLowerCase(Locale.ROOT)), edge)
                .factory(factory)
                .responseTimeout(timeout)
                .responseTimeoutMode(ResponseTimeoutMode.FROM_START)
                .maxResponseLength(MAX_RESPONSE_BYTES)
                .build();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.GET,
                        url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
                .set(HttpHeaderNames.AUTHORITY, url.getRawAuthority())
                .set(HttpHeaderNames.USER_AGENT, "outlast-frontdoor-probe")
                .build();
        SplitHttpResponse response = client.execute(HttpRequest.of(headers)).split();
        return response.headers().thenCompose(h -> {
            int status = h.status().code();
            if (status < 400) {
                response.body().abort();
                return CompletableFuture.completedFuture(ProbeResult.pass(status, millisSince(start)));
            }
            return response.body().collect().handle((chunks, e) -> {
                StringBuilder body = new StringBuilder();
                for (HttpData chunk : chunks == null ? List.<HttpData>of() : chunks) {
                    if (body.length() < Attributor.BODY_PREFIX_CHARS) {
                        body.append(new String(chunk.array(), StandardCharsets.UTF_8));
                    }
                }
                return PathFailures.answer(status, h, body.toString(), millisSince(start));
            });
        });
    }

    private double millisSince(long start) {
        return (ticker.nanos() - start) / 1e6;
    }

    private static int port(URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
