package dev.outlast.config;

import java.net.URI;
import java.util.Objects;

/**
 * One provider of a chain.
 *
 * @param name a short name unique within the chain, shown in headers, metrics and the API
 * @param url       the provider's JSON-RPC URL; may carry an API key and is only ever shown redacted
 * @param rateLimit requests per second the provider allows (its plan's limit); 0 for none known.
 *                  Either way, a 429 lowers the rate sent to it for a while
 * @param vendor    the label of the edge vendor known to stand in front of it ({@code cloudflare}), or
 *                  {@code null}: maintenance windows of that vendor drain it, and incidents name it
 *                  until attribution observes another one
 * @param ws        the provider's WebSocket URL ({@code ws:} or {@code wss:}), or {@code null}: new
 *                  blocks and pending transactions are then learnt by polling {@code url}
 */
public record UpstreamConfig(String name, URI url, double rateLimit, String vendor, URI ws) {

    public UpstreamConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (rateLimit < 0 || Double.isNaN(rateLimit)) {
            throw new IllegalArgumentException("rateLimit: " + rateLimit + " (expected: >= 0)");
        }
    }

    /** An upstream without a WebSocket URL. */
    public UpstreamConfig(String name, URI url, double rateLimit, String vendor) {
        this(name, url, rateLimit, vendor, null);
    }

    /** An upstream without a known vendor. */
    public UpstreamConfig(String name, URI url, double rateLimit) {
        this(name, url, rateLimit, null);
    }

    /** An upstream without a configured rate limit or known vendor. */
    public UpstreamConfig(String name, URI url) {
        this(name, url, 0);
    }

    /** This upstream with {@code vendorLabel} in front of it. */
    public UpstreamConfig withVendor(String vendorLabel) {
        return new UpstreamConfig(name, url, rateLimit, vendorLabel, ws);
    }

    /** This upstream with the WebSocket URL {@code webSocket}. */
    public UpstreamConfig withWs(URI webSocket) {
        return new UpstreamConfig(name, url, rateLimit, vendor, webSocket);
    }

    /** Shows the URL with its secrets hidden: a record's default would print the API key. */
    @Override
    public String toString() {
        return "UpstreamConfig[name=" + name + ", url=" + new dev.outlast.upstream.UrlRedactor(url).redacted()
                + (rateLimit > 0 ? ", rateLimit=" + rateLimit + "/s" : "") + (vendor != null ? ", vendor=" + vendor : "")
                + (ws != null ? ", ws=" + new dev.outlast.upstream.UrlRedactor(ws).redacted() : "") + "]";
    }
}
