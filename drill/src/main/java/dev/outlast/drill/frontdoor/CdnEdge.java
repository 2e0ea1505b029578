package dev.outlast.drill.frontdoor;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.Server;
import dev.outlast.drill.Fault;
import dev.outlast.drill.internal.CloudflarePages;
import dev.outlast.drill.internal.EdgePages;
import dev.outlast.drill.internal.WireRequest;
import dev.outlast.drill.internal.WireResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CDN edge on a loopback port in front of one origin, as a front door sees it: proxies every
 * request to the origin and stamps the vendor's headers on the answer (Cloudflare's {@code cf-ray}
 * and {@code server: cloudflare}; CloudFront's {@code x-amz-cf-id}, {@code x-amz-cf-pop} and
 * {@code via}), so an origin error arrives as the origin's, passed through; while {@link #failWith}
 * is set, it answers every request with the vendor's own error page (the drill's recorded pages),
 * as an edge in an outage does.
 *
 * <p>Thread-safe.
 */
public final class CdnEdge implements AutoCloseable {

    /** The vendors an edge plays. */
    public enum Vendor { CLOUDFLARE, CLOUDFRONT }

    private final Vendor vendor;
    private final Server server;
    private final WebClient origin;
    private final AtomicInteger failing = new AtomicInteger();

    public CdnEdge(Vendor vendor, URI origin) {
        this.vendor = vendor;
        this.origin = WebClient.builder(origin).responseTimeout(Duration.ofSeconds(5)).build();
        this.server = Server.builder()
                .http(new InetSocketAddress("127.0.0.1", 0))
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .serviceUnder("/", (ctx, req) -> {
                    int status = failing.get();
                    if (status != 0) {
                        return page(status, req.authority());
                    }
                    return HttpResponse.of(this.origin.execute(req).aggregate().handle((res, e) -> e != null
                            ? page(vendor == Vendor.CLOUDFLARE ? 521 : 502, req.authority())
                            : HttpResponse.of(stamp(res.headers().toBuilder()).build(), res.content())));
                })
                .build();
        server.start().join();
    }

    /** {@code 127.0.0.1:port}. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.activeLocalPort());
    }

    /**
     * Answers every request with the vendor's own {@code status} page (Cloudflare: 500, 502, 52x, 530;
     * CloudFront: 502, 503, 504); 0 goes back to proxying.
     */
    public void failWith(int status) {
        failing.set(status);
    }

    private ResponseHeadersBuilder stamp(ResponseHeadersBuilder headers) {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return vendor == Vendor.CLOUDFLARE
                ? headers.set("cf-ray", id + "-FRA").set("server", "cloudflare")
                : headers.set("x-amz-cf-id", id).set("x-amz-cf-pop", "FRA56-P1")
                        .set("via", "1.1 " + id + ".cloudfront.net (CloudFront)");
    }

    private HttpResponse page(int status, String host) {
        WireResponse page = vendor == Vendor.CLOUDFLARE
                ? CloudflarePages.page(status, host == null ? "www.example.com" : host, ThreadLocalRandom.current())
                : EdgePages.page(Fault.EdgePage.Edge.CLOUDFRONT, status, ThreadLocalRandom.current());
        ResponseHeadersBuilder headers = ResponseHeaders.builder(status);
        for (WireRequest.Header h : page.headers()) {
            headers.add(h.name(), h.value());
        }
        return HttpResponse.of(headers.build(), HttpData.wrap(page.body()));
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
