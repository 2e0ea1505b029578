package dev.outlast.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable configuration snapshot: the HTTP server, the chains it serves, the response cache,
 * and the operations side (monitoring, alerts, storage, maintenance, admin).
 *
 * <p>Thread-safe (immutable).
 */
public record OutlastConfig(ServerConfig server, List<ChainConfig> chains, CacheConfig cache, OpsConfig ops) {

    public OutlastConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(ops, "ops");
        chains = List.copyOf(chains);
    }

    /** A configuration built in code: the default cache, operations defaults with the history in memory. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains) {
        this(server, chains, CacheConfig.DEFAULT, OpsConfig.IN_MEMORY);
    }

    /** A configuration built in code with another cache (history in memory). */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, CacheConfig cache) {
        this(server, chains, cache, OpsConfig.IN_MEMORY);
    }

    /** A configuration built in code with other operations settings (default cache). */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, OpsConfig ops) {
        this(server, chains, CacheConfig.DEFAULT, ops);
    }

    /** The same configuration with another cache. */
    public OutlastConfig withCache(CacheConfig newCache) {
        return new OutlastConfig(server, chains, newCache, ops);
    }

    /** The chain served at {@code /rpc/{id}}, if configured. */
    public Optional<ChainConfig> chain(String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
