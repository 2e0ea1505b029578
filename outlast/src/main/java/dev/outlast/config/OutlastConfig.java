package dev.outlast.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable configuration snapshot: the HTTP server, the chains it serves and the sites it
 * proxies. A file has chains, sites or both.
 *
 * <p>Thread-safe (immutable).
 */
public record OutlastConfig(ServerConfig server, List<ChainConfig> chains, List<SiteConfig> sites) {

    public OutlastConfig {
        Objects.requireNonNull(server, "server");
        chains = List.copyOf(chains);
        sites = List.copyOf(sites);
    }

    /** A configuration with chains and no sites. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains) {
        this(server, chains, List.of());
    }

    /** The chain served at {@code /rpc/{id}}, if configured. */
    public Optional<ChainConfig> chain(String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
