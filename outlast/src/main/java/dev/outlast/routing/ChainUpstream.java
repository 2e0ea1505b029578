package dev.outlast.routing;

import dev.outlast.health.UpstreamHealth;
import dev.outlast.upstream.Upstream;

/** One upstream of a chain together with its health. Thread-safe (both parts are). */
public record ChainUpstream(Upstream upstream, UpstreamHealth health) {

    public String name() {
        return upstream.name();
    }
}
