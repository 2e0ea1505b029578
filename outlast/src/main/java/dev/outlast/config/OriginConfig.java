package dev.outlast.config;

import java.net.URI;
import java.util.Objects;

/**
 * One path to a site's origin, usually through one edge vendor.
 *
 * @param name a short name unique within the site, shown in headers, metrics and the API
 * @param url  where to send the site's requests: scheme, host, port and an optional path prefix;
 *             the request's path and query are appended. Shown redacted only
 * @param vendor the label of the edge vendor this path goes through ({@code cloudflare}), or {@code null}:
 *               maintenance windows of that vendor drain it, and incidents name it until attribution
 *               observes another one
 */
public record OriginConfig(String name, URI url, String vendor) {

    public OriginConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
    }

    /** An origin without a known vendor. */
    public OriginConfig(String name, URI url) {
        this(name, url, null);
    }

    /** Shows the URL with its secrets hidden. */
    @Override
    public String toString() {
        return "OriginConfig[name=" + name + ", url=" + new dev.outlast.upstream.UrlRedactor(url).redacted()
                + (vendor != null ? ", vendor=" + vendor : "") + "]";
    }
}
