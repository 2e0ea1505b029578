package dev.outlast.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP site served on the gateway's listener for requests whose {@code Host} is {@code host},
 * reverse-proxied to several origins with health checks, failover and stale-if-error.
 *
 * @param id                   a short name for metrics and the API, {@code [a-z0-9-]+}
 * @param host                 the host name matched against the request's {@code Host} header
 *                             (lower case, without a port)
 * @param origins              at least one origin, in order of preference when all are equally healthy
 * @param healthCheck          the active check, default {@link HealthCheckConfig#DEFAULT}
 * @param responseTimeout      how long an origin may take to send its response headers, counted from
 *                             when the request was sent; default {@link #DEFAULT_RESPONSE_TIMEOUT}.
 *                             The body then streams without a deadline
 * @param staleIfError         how long past its freshness a cached response may be served when every
 *                             origin fails and the response itself does not say
 *                             ({@code stale-if-error}); default {@link #DEFAULT_STALE_IF_ERROR}
 * @param staleWhileRevalidate how long past its freshness a cached response is served at once while
 *                             it is fetched again in the background, when the response does not say;
 *                             default {@link #DEFAULT_STALE_WHILE_REVALIDATE}
 * @param retryBufferBytes     how much of a request body is kept to send it again to another origin;
 *                             a longer body streams through but is not retried once its first byte
 *                             was sent; default {@value #DEFAULT_RETRY_BUFFER_BYTES}
 * @param cacheBytes           memory for cached responses of this site, default
 *                             {@value #DEFAULT_CACHE_BYTES}; 0 turns caching (and stale serving) off
 */
public record SiteConfig(String id, String host, List<OriginConfig> origins, HealthCheckConfig healthCheck,
                         Duration responseTimeout, Duration staleIfError, Duration staleWhileRevalidate,
                         long retryBufferBytes, long cacheBytes) {

    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALE_IF_ERROR = Duration.ofMinutes(5);
    public static final Duration DEFAULT_STALE_WHILE_REVALIDATE = Duration.ZERO;
    public static final long DEFAULT_RETRY_BUFFER_BYTES = 1024 * 1024;
    public static final long DEFAULT_CACHE_BYTES = 32L * 1024 * 1024;

    public SiteConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
        origins = List.copyOf(origins);
        Objects.requireNonNull(healthCheck, "healthCheck");
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("origins: [] (expected: at least one origin)");
        }
        ChainConfig.requirePositive("responseTimeout", responseTimeout);
        requireNotNegative("staleIfError", staleIfError);
        requireNotNegative("staleWhileRevalidate", staleWhileRevalidate);
        if (retryBufferBytes < 0) {
            throw new IllegalArgumentException("retryBufferBytes: " + retryBufferBytes + " (expected: >= 0)");
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes: " + cacheBytes + " (expected: >= 0)");
        }
    }

    /** A site with every default: what the minimal {@code sites:} entry gives. */
    public static SiteConfig of(String id, String host, List<OriginConfig> origins) {
        return new SiteConfig(id, host, origins, HealthCheckConfig.DEFAULT, DEFAULT_RESPONSE_TIMEOUT,
                              DEFAULT_STALE_IF_ERROR, DEFAULT_STALE_WHILE_REVALIDATE, DEFAULT_RETRY_BUFFER_BYTES,
                              DEFAULT_CACHE_BYTES);
    }

    /** The same site with another health check. */
    public SiteConfig withHealthCheck(HealthCheckConfig check) {
        return new SiteConfig(id, host, origins, check, responseTimeout, staleIfError, staleWhileRevalidate,
                              retryBufferBytes, cacheBytes);
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }
}
