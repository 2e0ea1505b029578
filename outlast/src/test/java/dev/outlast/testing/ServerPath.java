package dev.outlast.testing;

import dev.outlast.config.ServerConfig;

/**
 * The two ways Outlast's listener answers the HTTP/1.1 requests a fast path may take: right behind
 * the HTTP/1 decoder ({@code server.fastPath: true}, the default) or through Armeria's service
 * machinery ({@code false}). Behaviour tests run on both ({@link BothPaths}) and must see the same.
 */
public enum ServerPath {

    FAST("fast path", true),
    ARMERIA("Armeria path", false);

    private final String label;
    private final boolean fastPath;

    ServerPath(String label, boolean fastPath) {
        this.label = label;
        this.fastPath = fastPath;
    }

    public boolean fastPath() {
        return fastPath;
    }

    /** A listener on {@code 127.0.0.1}, port 0, with every default but this path. */
    public ServerConfig server() {
        ServerConfig server = ServerConfig.of("127.0.0.1", 0);
        return new ServerConfig(server.host(), server.port(), server.maxRequestBytes(), server.maxBatchSize(),
                server.maxJsonDepth(), server.eventLoops(), server.idleTimeout(), fastPath);
    }

    /** The name of a run: "fast path" or "Armeria path". */
    @Override
    public String toString() {
        return label;
    }
}
