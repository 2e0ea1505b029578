package dev.outlast.monitor.probe;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.ProbeConfig;
import dev.outlast.time.Ticker;
import java.time.Clock;
import java.util.concurrent.Executor;

/** Builds the {@link Probe} for a {@link ProbeConfig}. */
public final class Probes {

    private Probes() {
    }

    /**
     * @param factory  the HTTP client factory for {@code http} and {@code jsonrpc}
     * @param blocking where {@code tcp}, {@code tls} and {@code dns} runs block
     */
    public static Probe create(ProbeConfig config, ClientFactory factory, Executor blocking, Ticker ticker, Clock clock) {
        return switch (config.type()) {
            case HTTP, JSONRPC -> new HttpProbe(config, factory, ticker, clock);
            case TCP, TLS, DNS -> new SocketProbe(config, blocking, ticker, clock);
        };
    }
}
