package dev.outlast.monitor.probe;

import dev.outlast.config.ProbeConfig;
import dev.outlast.monitor.Observation;
import dev.outlast.time.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code tcp} (connect), {@code tls} (handshake, then the leaf certificate must stay valid at least
 * {@code minValidity}) and {@code dns} (the name resolves) probes. These use blocking JDK calls,
 * so they run on the given executor, never on an event loop.
 *
 * <p>The TLS probe checks expiry, not trust: it accepts any chain, since an expired or soon-expiring
 * certificate is what it is there to report, and trust is the HTTP probe's business.
 *
 * <p>Thread-safe.
 */
final class SocketProbe implements Probe {

    private final ProbeConfig config;
    private final Executor blocking;
    private final Ticker ticker;
    private final Clock clock;

    SocketProbe(ProbeConfig config, Executor blocking, Ticker ticker, Clock clock) {
        this.config = config;
        this.blocking = blocking;
        this.ticker = ticker;
        this.clock = clock;
    }

    @Override
    public ProbeConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<Observation> run() {
        return CompletableFuture.supplyAsync(() -> {
            long start = ticker.nanos();
            try {
                Observation o = switch (config.type()) {
                    case TCP -> tcp(start);
                    case TLS -> tls(start);
                    case DNS -> dns(start);
                    default -> throw new IllegalStateException(config.type().name());
                };
                double ms = (ticker.nanos() - start) / 1e6;
                if (o.ok() && config.maxLatency() != null && ms > config.maxLatency().toMillis()) {
                    return Observation.failure("latency", Math.round(ms) + " ms, limit " + config.maxLatency().toMillis()
                            + " ms", null, null, ms);
                }
                return o;
            } catch (UnknownHostException e) {
                return Observation.failure("dns", config.host() + " does not resolve", null, null, ms(start));
            } catch (IOException | RuntimeException e) {
                return ProbeFailures.of(e, ms(start), null);
            }
        }, blocking);
    }

    private double ms(long start) {
        return (ticker.nanos() - start) / 1e6;
    }

    private Observation tcp(long start) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(config.host(), config.port()), (int) config.timeout().toMillis());
        }
        return Observation.success(ms(start));
    }

    private Observation dns(long start) throws IOException {
        InetAddress[] all = InetAddress.getAllByName(config.host());
        return all.length == 0 ? Observation.failure("dns", config.host() + " has no address", null, null, ms(start))
                               : Observation.success(ms(start));
    }

    private Observation tls(long start) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAll()}, null);
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(config.host(), config.port()), (int) config.timeout().toMillis());
                raw.setSoTimeout((int) config.timeout().toMillis());
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, config.host(),
                        config.port(), false)) {
                    tls.startHandshake();
                    Certificate[] chain = tls.getSession().getPeerCertificates();
                    X509Certificate leaf = (X509Certificate) chain[0];
                    Instant notAfter = leaf.getNotAfter().toInstant();
                    Duration left = Duration.between(clock.instant(), notAfter);
                    if (left.compareTo(config.minValidity()) < 0) {
                        return Observation.failure("tls_expiry", left.isNegative()
                                ? "certificate expired at " + notAfter
                                : "certificate expires at " + notAfter + ", in " + left.toDays() + " days (minimum "
                                  + config.minValidity().toDays() + ")", null, null, ms(start));
                    }
                }
            }
            return Observation.success(ms(start));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Accepts every chain: the probe reads the certificate's dates, it does not judge trust. */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
