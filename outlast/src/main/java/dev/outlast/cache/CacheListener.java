package dev.outlast.cache;

/**
 * Cache events, for metrics. Implementations must be thread-safe and must not block.
 */
public interface CacheListener {

    CacheListener NONE = new CacheListener() {
    };

    /** A request was answered from the cache; {@code tier} is {@code local} or {@code redis}. */
    default void onHit(String chain, String method, String tier) {
    }

    /** A cacheable request was not in the cache. */
    default void onMiss(String chain, String method) {
    }

    /** An answer was removed: {@code cause} is {@code size}, {@code reorg} or {@code stale}. */
    default void onEviction(String chain, String method, String cause) {
    }
}
