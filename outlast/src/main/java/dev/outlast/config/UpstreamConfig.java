package dev.outlast.config;

import java.net.URI;
import java.util.Objects;

/**
 * One provider of a chain.
 *
 * @param name a short name unique within the chain, shown in headers, metrics and the API
 * @param url  the provider's JSON-RPC URL; may carry an API key and is only ever shown redacted
 */
public record UpstreamConfig(String name, URI url) {

    public UpstreamConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
    }

    /** Shows the URL with its secrets hidden: a record's default would print the API key. */
    @Override
    public String toString() {
        return "UpstreamConfig[name=" + name + ", url=" + new dev.outlast.upstream.UrlRedactor(url).redacted() + "]";
    }
}
