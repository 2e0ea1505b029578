package dev.outlast.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The response cache shared by every chain.
 *
 * @param enabled      false turns caching off (every answer is fetched)
 * @param maxBytes     the embedded cache's bound, in bytes of cached answers, default
 *                     {@value #DEFAULT_MAX_BYTES}; at startup at most a quarter of the heap
 *                     ({@link #fittedToHeap})
 * @param reorgHorizon blocks behind the served head after which a block counts as final when the
 *                     upstreams report no {@code finalized} block (or report one nearer the head),
 *                     default {@value #DEFAULT_REORG_HORIZON}
 * @param redis        a Redis (or Valkey) server shared by replicas, or null for the embedded
 *                     cache alone
 * @param maxBytesSet  whether {@code maxBytes} was configured ({@code cache.maxSize}) rather than
 *                     the default: only a configured bound that the heap cannot hold is worth a warning
 */
public record CacheConfig(boolean enabled, long maxBytes, long reorgHorizon, Redis redis, boolean maxBytesSet) {

    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
    public static final long DEFAULT_REORG_HORIZON = 64;
    /** The embedded cache's bound is at most the JVM's heap divided by this ({@link #fittedToHeap}). */
    public static final int HEAP_SHARE = 4;
    public static final CacheConfig DEFAULT = new CacheConfig(true, DEFAULT_MAX_BYTES, DEFAULT_REORG_HORIZON, null,
            false);
    /** No caching: every answer is fetched. */
    public static final CacheConfig OFF = new CacheConfig(false, DEFAULT_MAX_BYTES, DEFAULT_REORG_HORIZON, null,
            false);

    public CacheConfig {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxSize: " + maxBytes + " (expected: > 0)");
        }
        if (reorgHorizon < 1) {
            throw new IllegalArgumentException("reorgHorizon: " + reorgHorizon + " (expected: >= 1)");
        }
    }

    /** A cache whose bound {@code maxBytes} is configured. */
    public CacheConfig(boolean enabled, long maxBytes, long reorgHorizon, Redis redis) {
        this(enabled, maxBytes, reorgHorizon, redis, true);
    }

    /**
     * This config with the embedded cache bounded to at most a quarter of {@code maxHeapBytes}: the
     * bound counts the answers' JSON bytes, while an answer is held as a parsed tree that takes
     * more heap than its JSON, so a bound near the heap's size ends in an {@link OutOfMemoryError}
     * once traffic fills the cache. Unchanged when the bound already fits.
     */
    public CacheConfig fittedToHeap(long maxHeapBytes) {
        long fit = Math.max(1, maxHeapBytes / HEAP_SHARE);
        return maxBytes <= fit ? this : new CacheConfig(enabled, fit, reorgHorizon, redis, maxBytesSet);
    }

    /**
     * The shared tier.
     *
     * @param url     {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}); shown redacted
     * @param timeout how long one Redis command may take before the request goes on without it,
     *                default {@link #DEFAULT_TIMEOUT}
     * @param ttl     how long a shared entry lives in Redis, default {@link #DEFAULT_TTL}
     */
    public record Redis(URI url, Duration timeout, Duration ttl) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
        public static final Duration DEFAULT_TTL = Duration.ofHours(24);

        public Redis {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(ttl, "ttl");
        }

        @Override
        public String toString() {
            return "Redis[url=" + new dev.outlast.upstream.UrlRedactor(url).redacted() + ", timeout=" + timeout
                    + ", ttl=" + ttl + "]";
        }
    }
}
