package dev.outlast.site;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import dev.outlast.config.OriginConfig;
import dev.outlast.health.EndpointHealth;
import dev.outlast.routing.retry.RetryTarget;
import dev.outlast.time.Ticker;
import dev.outlast.transport.client.OriginClient;
import dev.outlast.upstream.UrlRedactor;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One origin of a site: where to send requests, its health (an {@link EndpointHealth} as RPC
 * upstreams have: circuit breaker, error rate, latency, Retry-After, drain; no node state), and its
 * recent failures with their vendor attribution. A {@link RetryTarget}: a request retries it on
 * routing's retry engine ({@link OriginRetries}).
 *
 * <p>Thread-safe.
 */
public final class Origin implements RetryTarget {

    /** How many recent failures are kept for the API. */
    static final int RECENT_FAILURES = 10;

    private final String name;
    private final URI url;
    private final UrlRedactor redactor;
    private final WebClient client;
    private final OriginClient direct;
    private final String pathPrefix;
    private final String authority;
    private final EndpointHealth health;
    private final Deque<OriginFailure> recent = new ArrayDeque<>();

    Origin(OriginConfig config, ClientFactory factory, Ticker ticker, EndpointHealth.Listener listener) {
        this.name = config.name();
        this.url = config.url();
        this.redactor = new UrlRedactor(url);
        String scheme = "http".equalsIgnoreCase(url.getScheme()) ? "h1c" : "https";
        this.authority = url.getRawAuthority();
        this.client = WebClient.builder(scheme + "://" + authority)
                .factory(factory)
                .maxResponseLength(0)
                .responseTimeoutMillis(0)
                .build();
        this.direct = OriginClient.supports(url) ? new OriginClient(url, factory) : null;
        String raw = url.getRawPath() == null ? "" : url.getRawPath();
        this.pathPrefix = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        this.health = new EndpointHealth(name, ticker, listener);
    }

    @Override
    public String name() {
        return name;
    }

    /** How many attempts and checks in a row failed; 0 after a success. */
    @Override
    public int consecutiveFailures() {
        return health.current().consecutiveFailures();
    }

    /** The recent failure ratio in [0, 1]. */
    @Override
    public double errorRate() {
        return health.current().errorRate();
    }

    /** The URL with its secrets hidden. */
    public String redactedUrl() {
        return redactor.redacted();
    }

    UrlRedactor redactor() {
        return redactor;
    }

    /** {@code text} with this origin's URL secrets hidden (for reasons shown outside the site package). */
    public String scrub(String text) {
        return redactor.scrub(text);
    }

    public EndpointHealth health() {
        return health;
    }

    WebClient client() {
        return client;
    }

    /** The client for requests without a body, or null when the URL needs Armeria's (credentials in it). */
    OriginClient direct() {
        return direct;
    }

    /** Closes the connections of {@link #direct()}. */
    void close() {
        if (direct != null) {
            direct.close();
        }
    }

    /** Whether the origin is reached over TLS. */
    boolean tls() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /** The origin's {@code host[:port]}, sent as {@code Host}. */
    String authority() {
        return authority;
    }

    /** The path to request on this origin for a client's path and query. */
    String path(String clientPathAndQuery) {
        return pathPrefix + clientPathAndQuery;
    }

    /** Records a successful attempt (response headers below 500 within the timeout). */
    void succeeded(long latencyNanos) {
        health.answered(latencyNanos);
    }

    /** Records a failed attempt. */
    void failed(OriginFailure raw, long latencyNanos) {
        OriginFailure failure = new OriginFailure(raw.at(), raw.kind(), raw.status(), raw.attribution(),
                                                  raw.notReceived(), redactor.scrub(raw.detail()));
        health.failed(failure.kind(), failure.detail(), null);
        synchronized (recent) {
            if (recent.size() == RECENT_FAILURES) {
                recent.removeLast();
            }
            recent.addFirst(failure);
        }
    }

    /** The most recent failures, newest first. */
    public List<OriginFailure> recentFailures() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
