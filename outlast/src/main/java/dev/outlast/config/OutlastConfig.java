package dev.outlast.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable configuration snapshot: the HTTP server and the chains it serves.
 *
 * <p>Thread-safe (immutable).
 */
public record OutlastConfig(ServerConfig server, List<ChainConfig> chains) {

    public OutlastConfig {
        Objects.requireNonNull(server, "server");
        chains = List.copyOf(chains);
    }

    /** The chain served at {@code /rpc/{id}}, if configured. */
    public Optional<ChainConfig> chain(String id) {
        return chains.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
