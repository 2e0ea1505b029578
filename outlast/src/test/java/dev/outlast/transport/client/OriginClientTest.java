package dev.outlast.transport.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.SelfSignedCertificateExtension;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.outlast.testing.RawHttp;
import dev.outlast.transport.FailureKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The direct client for site requests without a body, against real servers and raw sockets. */
class OriginClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PAGE = "<html>hello</html>";

    /** What the server saw: "remote port|method|authority|path|x-test". */
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    @RegisterExtension
    @Order(0)
    static final SelfSignedCertificateExtension certificate = new SelfSignedCertificateExtension("localhost");

    @RegisterExtension
    @Order(1)
    static final ServerExtension server = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.http(0);
            sb.https(0);
            sb.tls(certificate.tlsKeyPair());
            sb.service("glob:/**", (ctx, req) -> {
                seen.add(ctx.remoteAddress().getPort() + "|" + req.method() + "|" + req.authority() + "|"
                        + req.path() + "|" + req.headers().get("x-test"));
                if (ctx.path().startsWith("/slow")) {
                    return HttpResponse.delayed(HttpResponse.of(HttpStatus.OK, MediaType.HTML_UTF_8, PAGE),
                            Duration.ofSeconds(3));
                }
                if (ctx.path().startsWith("/trailers")) {
                    // headers at once, the body 300 ms later (after a 100 ms response timeout), then trailers
                    HttpResponseWriter w = HttpResponse.streaming();
                    w.write(ResponseHeaders.of(HttpStatus.OK));
                    ctx.eventLoop().schedule(() -> {
                        w.write(HttpData.ofUtf8("part one, "));
                        w.write(HttpData.ofUtf8("part two"));
                        w.write(HttpHeaders.of("x-checksum", "abc"));
                        w.close();
                    }, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return w;
                }
                return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.HTML_UTF_8)
                        .add("set-cookie", "a=1").add("set-cookie", "b=2").build(), HttpData.ofUtf8(PAGE));
            });
        }
    };

    @RegisterExtension
    @Order(2)
    static final SelfSignedCertificateExtension otherName = new SelfSignedCertificateExtension("origin.example");

    private static OriginClient client(String url) {
        return new OriginClient(URI.create(url), ClientFactory.ofDefault());
    }

    /** A client for the origin a test plays by hand on {@code raw}. */
    private static OriginClient client(ServerSocket raw) {
        return client("http://127.0.0.1:" + raw.getLocalPort());
    }

    private static RequestHeaders get(String path, String authority) {
        return RequestHeaders.builder(HttpMethod.GET, path).authority(authority).add("x-test", "yes").build();
    }

    /** Sends from one event loop, as the proxy does (a request's own loop), so its connections are the ones kept. */
    private static final io.netty.channel.EventLoop LOOP = ClientFactory.ofDefault()
            .eventLoopGroup().next();

    private static AggregatedHttpResponse fetch(OriginClient client, RequestHeaders headers) throws Exception {
        return LOOP.submit(() -> client.execute(headers, TIMEOUT)).get().aggregate().join();
    }

    /** The exception a response ended with, unwrapped. */
    private static Throwable failure(HttpResponse response) {
        Throwable thrown = catchThrowable(() -> response.aggregate().join());
        assertThat(thrown).isInstanceOf(CompletionException.class);
        return thrown.getCause();
    }

    /** {@code f} says no connection was made: the origin never received the request. */
    private static CallFailure notConnected(Throwable f) {
        assertThat(f).isInstanceOf(CallFailure.class);
        CallFailure failure = (CallFailure) f;
        assertThat(failure.kind()).isEqualTo(FailureKind.CONNECT);
        assertThat(failure.notReceived()).isTrue();
        return failure;
    }

    /** {@code f} says the connection failed after the request may have reached the origin. */
    private static CallFailure reset(Throwable f) {
        assertThat(f).isInstanceOf(CallFailure.class);
        CallFailure failure = (CallFailure) f;
        assertThat(failure.kind()).isEqualTo(FailureKind.RESET);
        assertThat(failure.notReceived()).isFalse();
        return failure;
    }

    @Test
    void sendsTheHeadersToThePathAndKeepsTheConnectionForTheNextRequest() throws Exception {
        seen.clear();
        try (OriginClient client = client(server.httpUri().toString())) {
            AggregatedHttpResponse first = fetch(client, get("/a/b?x=1", "site.example"));
            AggregatedHttpResponse second = fetch(client, get("/c", "site.example"));
            assertThat(first.status()).isEqualTo(HttpStatus.OK);
            assertThat(first.contentUtf8()).isEqualTo(PAGE);
            assertThat(first.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
            assertThat(first.headers().contentLength()).isEqualTo(PAGE.length());
            assertThat(second.contentUtf8()).isEqualTo(PAGE);
            String[] one = seen.get(0).split("\\|", -1);
            assertThat(one).containsExactly(one[0], "GET", "site.example", "/a/b?x=1", "yes");
            assertThat(seen.get(1).split("\\|")[0]).as("same connection (client port)").isEqualTo(one[0]);
        }
    }

    @Test
    void aHeadResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        seen.clear();
        try (OriginClient client = client(server.httpUri().toString())) {
            RequestHeaders head = RequestHeaders.builder(HttpMethod.HEAD, "/page").authority("site.example").build();
            AggregatedHttpResponse res = fetch(client, head);
            assertThat(res.status()).isEqualTo(HttpStatus.OK);
            assertThat(res.content().isEmpty()).isTrue();
            assertThat(fetch(client, get("/page", "site.example")).contentUtf8()).isEqualTo(PAGE);
            assertThat(seen.get(1).split("\\|")[0]).isEqualTo(seen.get(0).split("\\|")[0]);
        }
    }

    @Test
    void theTimeoutCoversTheHeadersOnlyAndTrailersComeThrough() {
        try (OriginClient client = client(server.httpUri().toString())) {
            AggregatedHttpResponse res = client.execute(get("/trailers", "site.example"), Duration.ofMillis(100))
                    .aggregate().join();
            assertThat(res.contentUtf8()).isEqualTo("part one, part two");
            assertThat(res.trailers().get("x-checksum")).isEqualTo("abc");
        }
    }

    @Test
    void noHeadersWithinTheTimeoutIsAResponseTimeout() {
        try (OriginClient client = client(server.httpUri().toString())) {
            assertThat(failure(client.execute(get("/slow", "site.example"), Duration.ofMillis(200))))
                    .isInstanceOfSatisfying(CallFailure.class, f -> assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT))
                    .hasMessage("no response headers within 200 ms");
            assertThat(client.execute(get("/after", "site.example"), TIMEOUT).aggregate().join().contentUtf8())
                    .as("a fresh connection after the timed-out one was closed").isEqualTo(PAGE);
        }
    }

    @Test
    void aRefusedConnectionIsUnprocessed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (OriginClient client = client("http://127.0.0.1:" + port)) {
            assertThat(notConnected(failure(client.execute(get("/", "site.example"), TIMEOUT))))
                    .hasMessageContaining("ConnectException");
        }
        try (OriginClient client = client("http://no-such-host.invalid:80")) {
            assertThat(notConnected(failure(client.execute(get("/", "site.example"), TIMEOUT))))
                    .hasMessageContaining("cannot resolve no-such-host.invalid");
        }
    }

    @Test
    void aConnectionClosedBeforeTheHeadersOrInTheBodyFailsTheResponse() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             OriginClient client = client(raw)) {
            HttpResponse before = client.execute(get("/", "site.example"), TIMEOUT);
            RawHttp.answer(raw, "").close();
            assertThat(reset(failure(before))).hasMessageContaining("closed before the response headers");

            HttpResponse cut = client.execute(get("/", "site.example"), TIMEOUT);
            RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly some").close();
            assertThat(reset(failure(cut))).hasMessageContaining("closed before the whole response body");
        }
    }

    @Test
    void aResponseWithoutLengthIsReadToTheCloseAndConnectionCloseIsHonoured() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             OriginClient client = client(raw)) {
            HttpResponse old = client.execute(get("/", "site.example"), TIMEOUT);
            RawHttp.answer(raw, "HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n" + PAGE).close();
            assertThat(old.aggregate().join().contentUtf8()).isEqualTo(PAGE);

            HttpResponse closing = client.execute(get("/", "site.example"), TIMEOUT);
            try (Socket s = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok")) {
                assertThat(closing.aggregate().join().contentUtf8()).isEqualTo("ok");
                assertThat(RawHttp.nextByte(s)).as("the client closed the connection").isEqualTo(-1);
            }
        }
    }

    @Test
    void forAClientTheHopByHopFieldsAreDroppedAndTheOriginNamedInOnePass() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Private\r\nKeep-Alive: timeout=5\r\n"
                + "X-Private: secret\r\nProxy-Authenticate: Basic\r\nX-App: v\r\ncontent-length: 2\r\n\r\nok";
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             OriginClient client = client(raw)) {
            HttpResponse tagged = client.execute(get("/", "site.example"), TIMEOUT, "primary");
            RawHttp.answer(raw, answer).close();
            AggregatedHttpResponse forClient = tagged.aggregate().join();
            assertThat(forClient.contentUtf8()).isEqualTo("ok");
            assertThat(forClient.headers().get("x-app")).isEqualTo("v");
            assertThat(forClient.headers().get("x-outlast-upstream")).isEqualTo("primary");
            for (String hop : List.of("connection", "keep-alive", "x-private", "proxy-authenticate")) {
                assertThat(forClient.headers().contains(hop)).as(hop).isFalse();
            }

            HttpResponse plain = client.execute(get("/", "site.example"), TIMEOUT);
            RawHttp.answer(raw, answer).close();
            AggregatedHttpResponse asIs = plain.aggregate().join();
            assertThat(asIs.headers().get("x-private")).isEqualTo("secret");
            assertThat(asIs.headers().contains("x-outlast-upstream")).isFalse();
        }
    }

    @Test
    void aSafeRequestOnAConnectionTheOriginClosedAsItWentOutIsSentAgainOnAnother() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             OriginClient client = client(raw)) {
            raw.setSoTimeout(5_000);
            HttpResponse first = LOOP.submit(() -> client.execute(get("/1", "site.example"), TIMEOUT)).get();
            Socket kept = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfirst");
            assertThat(first.aggregate().join().contentUtf8()).isEqualTo("first");

            // the origin reads the next request on the kept connection and closes it unanswered
            HttpResponse second = LOOP.submit(() -> client.execute(get("/2", "site.example"), TIMEOUT)).get();
            RawHttp.readRequest(kept.getInputStream());
            kept.close();
            Socket fresh = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 6\r\n\r\nsecond");
            assertThat(second.aggregate().join().contentUtf8()).isEqualTo("second");
            fresh.close();

            // a DELETE is not sent again: the origin may have run it
            HttpResponse third = LOOP.submit(() -> client.execute(get("/3", "site.example"), TIMEOUT)).get();
            Socket third1 = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nthird");
            assertThat(third.aggregate().join().contentUtf8()).isEqualTo("third");
            HttpResponse delete = LOOP.submit(() -> client.execute(
                    RequestHeaders.builder(HttpMethod.DELETE, "/4").authority("site.example").build(), TIMEOUT)).get();
            RawHttp.readRequest(third1.getInputStream());
            third1.close();
            assertThat(reset(failure(delete))).hasMessageContaining("closed before the response headers");
        }
    }

    @Test
    void abortingTheResponseClosesItsConnection() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             OriginClient client = client(raw)) {
            HttpResponse response = client.execute(get("/", "site.example"), TIMEOUT);
            try (Socket s = RawHttp.answer(raw, "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\nthe start")) {
                response.split().headers().join();
                response.abort();
                assertThat(RawHttp.nextByte(s)).as("end of stream: the client closed").isEqualTo(-1);
            }
        }
    }

    @Test
    void tlsToATrustedCertificateForTheHost() throws Exception {
        try (OriginClient client = new OriginClient(URI.create("https://localhost:" + server.httpsPort()),
                ClientFactory.ofDefault(), RawHttp.trusting(certificate))) {
            assertThat(client.execute(get("/secure", "localhost"), TIMEOUT).aggregate().join().contentUtf8())
                    .isEqualTo(PAGE);
        }
        try (OriginClient client = new OriginClient(URI.create("https://localhost:" + server.httpsPort()),
                ClientFactory.ofDefault(), RawHttp.trusting(otherName))) {
            assertThat(notConnected(failure(client.execute(get("/secure", "localhost"), TIMEOUT))))
                    .hasMessageContaining("TLS handshake with localhost failed");
        }
    }
}
