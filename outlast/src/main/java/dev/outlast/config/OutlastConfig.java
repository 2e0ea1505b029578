package dev.outlast.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable configuration snapshot: the HTTP server, the chains it serves, and the operations
 * side (monitoring, alerts, storage, maintenance, admin).
 *
 * <p>Thread-safe (immutable).
 */
public record OutlastConfig(ServerConfig server, List<ChainConfig> chains, OpsConfig ops) {

    public OutlastConfig {
        Objects.requireNonNull(server, "server");
        chains = List.copyOf(chains);
        Objects.requireNonNull(ops, "ops");
    }

    /** A configuration built in code: operations defaults with the history in memory. */
    public OutlastConfig(ServerConfig server, List<ChainConfig> chains) {
        this(server, chains, OpsConfig.IN_MEMORY);
    }

    /** The chain served at {@code /rpc/{id}}, if configured. */
    public Optional<ChainConfig> chain(String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
