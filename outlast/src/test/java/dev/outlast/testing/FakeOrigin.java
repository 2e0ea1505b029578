package dev.outlast.testing;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.Server;
import dev.outlast.attribution.Recorded;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-process HTTP origin (or an edge in front of one) on port 0 for site behaviour tests. Every
 * request except {@code GET /health} (always 200, for the active checks) is recorded with its
 * headers and body and answered by the current {@link #handler}: an echo by default, or a recorded
 * vendor error page ({@link #vendorPage}).
 */
public final class FakeOrigin implements AutoCloseable {

    /** A request the origin received. */
    public record Received(RequestHeaders headers, String body) {
    }

    private final String name;
    private final Server server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<AggregatedHttpRequest, HttpResponse> handler;

    public FakeOrigin(String name) {
        this.name = name;
        this.handler = this::echo;
        this.server = Server.builder()
                .http(0)
                .requestTimeout(Duration.ZERO)
                .maxRequestLength(0)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok"))
                .serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                    received.add(new Received(agg.headers(), agg.contentUtf8()));
                    return handler.apply(agg);
                })))
                .build();
        server.start().join();
    }

    public String name() {
        return name;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort());
    }

    /** Answers every request (except {@code /health}) with {@code h}. */
    public FakeOrigin handler(Function<AggregatedHttpRequest, HttpResponse> h) {
        this.handler = h;
        return this;
    }

    /** Answers with 200 and {@code body}, with the given extra headers (name, value, ...). */
    public FakeOrigin serve(String body, String... headers) {
        return handler(req -> {
            ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.PLAIN_TEXT_UTF_8);
            for (int i = 0; i + 1 < headers.length; i += 2) {
                h.add(headers[i], headers[i + 1]);
            }
            return HttpResponse.of(h.build(), HttpData.ofUtf8(body));
        });
    }

    /** Answers with a plain status and a short text body, like an nginx error page. */
    public FakeOrigin status(int status) {
        return handler(req -> HttpResponse.of(HttpStatus.valueOf(status), MediaType.HTML_UTF_8,
                "<html><head><title>" + status + "</title></head><body><center><h1>" + status
                + "</h1></center><hr><center>nginx</center></body></html>"));
    }

    /**
     * Answers with a recorded vendor error page from {@code src/test/resources/attribution/}, with
     * its status (and every mention of it in the body) replaced by {@code status}.
     */
    public FakeOrigin vendorPage(String fixture, int status) {
        Recorded page = Recorded.load(fixture);
        HttpHeadersBuilder headers = HttpHeaders.builder();
        page.headers().forEach((name, value) -> {
            if (!name.contentEqualsIgnoreCase("content-length") && !name.contentEqualsIgnoreCase("connection")) {
                headers.add(name, value);
            }
        });
        String body = page.body().replace(Integer.toString(page.status()), Integer.toString(status));
        HttpHeaders h = headers.build();
        return handler(req -> HttpResponse.of(ResponseHeaders.builder(status).add(h).build(), HttpData.ofUtf8(body)));
    }

    /** The default answer: 200 saying which origin got which method, path and body. */
    private HttpResponse echo(AggregatedHttpRequest req) {
        return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
                name + " " + req.method() + " " + req.path() + " " + req.contentUtf8());
    }

    /** Every request received (not counting health checks), oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop();
    }
}
