package dev.outlast.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable configuration snapshot: the HTTP server, the chains it serves and the response
 * cache.
 *
 * <p>Thread-safe (immutable).
 */
public record OutlastConfig(ServerConfig server, List<ChainConfig> chains, CacheConfig cache) {

    public OutlastConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(cache, "cache");
        chains = List.copyOf(chains);
    }

    /** A configuration with the default cache. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains) {
        this(server, chains, CacheConfig.DEFAULT);
    }

    /** The same configuration with another cache. */
    public OutlastConfig withCache(CacheConfig cache) {
        return new OutlastConfig(server, chains, cache);
    }

    /** The chain served at {@code /rpc/{id}}, if configured. */
    public Optional<ChainConfig> chain(String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
