package dev.outlast.transport.fastpath;

import dev.outlast.routing.Chain;
import dev.outlast.site.Site;
import dev.outlast.time.Ticker;
import dev.outlast.transport.HostMatcher;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The two requests a gateway serves most, answered over HTTP/1.1 right behind Armeria's HTTP/1
 * decoder, without Armeria's per-request machinery (request context, log, routing, response
 * conversion): JSON-RPC calls and a site's {@code GET}s and {@code HEAD}s. Both cost mostly that
 * machinery, since an answer from a cache or a pass-through does little else (docs/benchmarks.md).
 *
 * <p>Armeria still owns the listener, the connections and every other request. On each client
 * connection {@link Placement} puts a {@link ClientConnection} right after Armeria's HTTP/1 decoder;
 * {@link Classifier} says which requests it answers, with the same {@link RpcEndpoint} and
 * {@link Site#serve(com.linecorp.armeria.common.RequestHeaders, dev.outlast.site.Client)} that
 * answer them behind Armeria, and {@link ResponseHeads} encodes its answers as Armeria's server
 * does (a site's answer streamed with backpressure by {@link SiteResponseWriter}). Anything else
 * (other methods and hosts, the status page, a browser's CORS call, a body that is chunked or
 * oversized, a WebSocket, an HTTP/2 connection, a malformed request) goes on to Armeria untouched.
 * {@code server.fastPath: false} leaves every request to Armeria.
 *
 * <p>It leans on two facts about Armeria 1.33's HTTP/1 pipeline, both covered by
 * {@code FastPathTest}: its decoder is the class {@link Placement} looks for (if it is not found the
 * path stays off, with a warning), and its idle timer closes a connection through the pipeline. A
 * chain's deadline bounds every call answered here, as it does behind Armeria.
 *
 * <p>Thread-safe to share; each connection's handler runs on that connection's event loop.
 */
public final class FastPath {

    private final RpcEndpoint rpc;
    private final Classifier<Chain, Site> classifier;
    private final int maxRequestBytes;
    private final long idleNanos;
    private final Ticker ticker;
    private final LongAdder answered = new LongAdder();
    private volatile boolean stopping;
    private volatile boolean warned;

    /**
     * @param rpc             what answers JSON-RPC bodies
     * @param sites           the sites by host: every request for such a host is the site's
     * @param maxRequestBytes the largest JSON-RPC body answered here
     * @param idleTimeout     how long a connection may stay idle ({@code server.idleTimeout})
     * @param ticker          the time the idle watch reads
     */
    public FastPath(RpcEndpoint rpc, HostMatcher<Site> sites, int maxRequestBytes, Duration idleTimeout,
                    Ticker ticker) {
        this.rpc = rpc;
        this.classifier = new Classifier<>(rpc.chains(), sites, maxRequestBytes);
        this.maxRequestBytes = maxRequestBytes;
        this.idleNanos = idleTimeout.toNanos();
        this.ticker = ticker;
    }

    /** For {@code ServerBuilder.childChannelPipelineCustomizer}: watches a new client connection. */
    public void install(ChannelPipeline pipeline) {
        pipeline.addFirst(new Placement(this));
    }

    /** From now on answers carry {@code Connection: close}, and only the server closes connections. */
    public void stopping() {
        stopping = true;
    }

    /** Requests answered here so far. */
    public long answered() {
        return answered.sum();
    }

    boolean isStopping() {
        return stopping;
    }

    /** True the first time it is asked: whoever asks first logs that the path is off. */
    boolean firstWarning() {
        if (warned) {
            return false;
        }
        warned = true;
        return true;
    }

    void countAnswered() {
        answered.increment();
    }

    RpcEndpoint rpc() {
        return rpc;
    }

    Classifier<Chain, Site> classifier() {
        return classifier;
    }

    int maxRequestBytes() {
        return maxRequestBytes;
    }

    long idleNanos() {
        return idleNanos;
    }

    Ticker ticker() {
        return ticker;
    }
}
