package dev.outlast.drill.frontdoor;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * The site behind the CDNs, on a loopback port: answers every path with a small page, or, while
 * {@link #failing}, with its own {@code 503} (an nginx-style page, as an origin in trouble writes).
 *
 * <p>Thread-safe.
 */
final class CdnOrigin implements AutoCloseable {

    private final Server server;
    private volatile boolean failing;

    CdnOrigin() {
        this.server = Server.builder()
                .http(new InetSocketAddress("127.0.0.1", 0))
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .serviceUnder("/", (ctx, req) -> failing
                        ? HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.HTML_UTF_8,
                                "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center>"
                                + "<h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center>"
                                + "</body></html>")
                        : HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, "<html><body>www.example.com</body></html>"))
                .build();
        server.start().join();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort());
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
