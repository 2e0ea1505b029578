package dev.outlast.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable configuration snapshot: the HTTP server, the chains it serves, the sites it
 * proxies, the front doors it steers through DNS (a file has at least one of the three), the
 * response cache, and the operations side (monitoring, alerts, storage, maintenance, admin).
 *
 * <p>Thread-safe (immutable).
 */
public record OutlastConfig(ServerConfig server, List<ChainConfig> chains, List<SiteConfig> sites, CacheConfig cache,
                            OpsConfig ops, List<FrontDoorConfig> frontDoors) {

    public OutlastConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(ops, "ops");
        chains = List.copyOf(chains);
        sites = List.copyOf(sites);
        frontDoors = List.copyOf(frontDoors);
    }

    /** A configuration without front doors. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, List<SiteConfig> sites, CacheConfig cache,
                         OpsConfig ops) {
        this(server, chains, sites, cache, ops, List.of());
    }

    /** A configuration built in code: chains only, the default cache, history in memory. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains) {
        this(server, chains, List.of(), CacheConfig.DEFAULT, OpsConfig.IN_MEMORY);
    }

    /** A configuration built in code with chains and sites (default cache, history in memory). */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, List<SiteConfig> sites) {
        this(server, chains, sites, CacheConfig.DEFAULT, OpsConfig.IN_MEMORY);
    }

    /** A configuration built in code with another cache (history in memory). */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, CacheConfig cache) {
        this(server, chains, List.of(), cache, OpsConfig.IN_MEMORY);
    }

    /** A configuration built in code with chains only. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, CacheConfig cache, OpsConfig ops) {
        this(server, chains, List.of(), cache, ops);
    }

    /** A configuration built in code with other operations settings (default cache). */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains, OpsConfig ops) {
        this(server, chains, List.of(), CacheConfig.DEFAULT, ops);
    }

    /** The same configuration with another cache. */
    public OutlastConfig withCache(CacheConfig newCache) {
        return new OutlastConfig(server, chains, sites, newCache, ops, frontDoors);
    }

    /** The same configuration with other front doors. */
    public OutlastConfig withFrontDoors(List<FrontDoorConfig> newFrontDoors) {
        return new OutlastConfig(server, chains, sites, cache, ops, newFrontDoors);
    }

    /** The chain served at {@code /rpc/{id}}, if configured. */
    public Optional<ChainConfig> chain(String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
