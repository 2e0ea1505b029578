package dev.outlast.server;

import static dev.outlast.testing.RawConnection.get;
import static dev.outlast.testing.RawConnection.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.testing.CuttingOrigin;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.RawConnection;
import dev.outlast.testing.ServerPath;
import dev.outlast.testing.TestGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same request gets the same bytes with {@code server.fastPath} on and off: each case sends the
 * same raw HTTP/1.1 request to two gateways of the same configuration but that setting, and
 * compares the status line, the header lines in their order ({@code Date}'s value aside), the body
 * (de-chunked: where chunks fall depends on when the origin's bytes arrive) and its trailers. Each case also checks
 * what the answer is, and whether the fast path answered it, so that the comparison is between the
 * two paths and of the answer meant.
 */
class BothPathsTest {

    private static final String WEB_HOST = "web.both-paths.test";
    private static final String DOWN_HOST = "down.both-paths.test";
    private static final String CUT_HOST = "cut.both-paths.test";
    private static final String CHAIN_ID = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}";
    private static final String BALANCE = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_getBalance\","
            + "\"params\":[\"0x00000000000000000000000000000000000000dd\",\"0x1\"]}";

    private static FakeUpstream alpha;
    private static FakeOrigin web;
    private static CuttingOrigin cutting;
    private static TestGateway fast;
    private static TestGateway armeria;

    @BeforeAll
    static void start() throws IOException {
        alpha = FakeUpstream.honest();
        web = new FakeOrigin("web");
        cutting = new CuttingOrigin();
        URI refused;
        URI refusedToo;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            refused = URI.create("http://127.0.0.1:" + a.getLocalPort());
            refusedToo = URI.create("http://127.0.0.1:" + b.getLocalPort());
        }
        fast = gateway(true, refused, refusedToo);
        armeria = gateway(false, refused, refusedToo);
    }

    private static TestGateway gateway(boolean fastPath, URI refused, URI refusedToo) {
        ServerConfig server = new ServerConfig("127.0.0.1", 0, 4096, ServerConfig.DEFAULT_MAX_BATCH_SIZE,
                ServerConfig.DEFAULT_MAX_JSON_DEPTH, 1, Duration.ofSeconds(30), fastPath);
        List<SiteConfig> sites = List.of(
                SiteConfig.of("web", WEB_HOST, List.of(new OriginConfig("web-origin", web.uri(), null))),
                SiteConfig.of("down", DOWN_HOST, List.of(new OriginConfig("first", refused, null),
                                                         new OriginConfig("second", refusedToo, null))),
                SiteConfig.of("cut", CUT_HOST, List.of(new OriginConfig("cutter", cutting.uri(), null))));
        return TestGateway.start(new OutlastConfig(server, List.of(TestGateway.chain(Map.of("alpha", alpha.uri()))),
                sites), 1);
    }

    @AfterAll
    static void stop() throws IOException {
        for (TestGateway gateway : new TestGateway[] {fast, armeria}) {
            if (gateway != null) {
                gateway.close();
            }
        }
        alpha.close();
        web.close();
        cutting.close();
    }

    /**
     * One request and what its answer must be.
     *
     * @param onFastPath whether the gateway with the fast path on answers it there (else Armeria does)
     * @param afterHead  what to do once the answer's head is in, before its body is read
     */
    record Case(String name, Runnable origin, String request, boolean head, boolean onFastPath,
                Consumer<RawConnection.Response> expected, Runnable afterHead) {

        Case(String name, Runnable origin, String request, boolean head, boolean onFastPath,
             Consumer<RawConnection.Response> expected) {
            this(name, origin, request, head, onFastPath, expected, () -> { });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Runnable any = () -> { };
        return Stream.of(
                new Case("a JSON-RPC call answered by Outlast", any, post("/rpc/devnet", CHAIN_ID, ""), false, true,
                        r -> assertThat(r.json().path("result").asText()).isEqualTo("0x539")),
                new Case("a JSON-RPC call answered by an upstream", any, post("/rpc/devnet", BALANCE, ""), false, true,
                        r -> assertThat(r.header("x-outlast-upstream")).isEqualTo("alpha")),
                new Case("a batch", any, post("/rpc/devnet", "[" + CHAIN_ID + "," + BALANCE + "]", ""), false, true,
                        r -> assertThat(r.json().size()).isEqualTo(2)),
                new Case("a notification", any, post("/rpc/devnet",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"}", ""), false, true,
                        r -> assertThat(r.status()).isEqualTo(204)),
                new Case("an unknown chain", any, post("/rpc/nochain", CHAIN_ID, ""), false, false,
                        r -> assertThat(r.status()).isEqualTo(404)),
                new Case("malformed JSON", any, post("/rpc/devnet", "{\"jsonrpc\":", ""), false, true,
                        r -> assertThat(r.json().path("error").path("code").asInt()).isEqualTo(-32700)),
                new Case("a body over the limit", any,
                        post("/rpc/devnet", "[" + (CHAIN_ID + ",").repeat(100) + "]", ""), false, false,
                        r -> assertThat(r.status()).isEqualTo(413)),
                new Case("a site's small answer", () -> web.serve("hello", "cache-control", "no-store", "x-kept", "1"),
                        get("GET", "/small", WEB_HOST, ""), false, true,
                        r -> assertThat(r.body()).isEqualTo("hello")),
                new Case("a site's answer still arriving (chunked)", BothPathsTest::slowOrigin,
                        get("GET", "/slow", WEB_HOST, ""), false, true,
                        r -> assertThat(r.header("transfer-encoding")).isEqualTo("chunked"),
                        () -> rest.get().complete(null)),
                new Case("a site's answer still arriving, closing its connection", BothPathsTest::slowOrigin,
                        get("GET", "/slow", WEB_HOST, "Connection: close\r\n"), false, true,
                        r -> assertThat(r.header("transfer-encoding")).isEqualTo("chunked"),
                        () -> rest.get().complete(null)),
                new Case("a site's answer with trailers", BothPathsTest::withTrailers,
                        get("GET", "/trailers", WEB_HOST, ""), false, true,
                        r -> assertThat(r.trailerLines()).containsExactly("x-checksum: abc")),
                new Case("a site's answer with trailers, closing its connection", BothPathsTest::withTrailers,
                        get("GET", "/trailers", WEB_HOST, "Connection: close\r\n"), false, true,
                        r -> assertThat(r.trailerLines()).containsExactly("x-checksum: abc")),
                new Case("a site's HEAD of an answer without a length", BothPathsTest::withTrailers,
                        get("HEAD", "/trailers", WEB_HOST, ""), true, true, r -> assertThat(r.status()).isEqualTo(200)),
                new Case("a site's 304", () -> web.handler(req -> HttpResponse.of(
                                ResponseHeaders.builder(304).add("etag", "\"v1\"").build())),
                        get("GET", "/unchanged", WEB_HOST, "If-None-Match: \"v1\"\r\n"), true, true,
                        r -> assertThat(r.status()).isEqualTo(304)),
                new Case("a site's host with a trailing dot and a port", () -> web.serve("dotted", "cache-control",
                        "no-store"), get("GET", "/dot", WEB_HOST.toUpperCase(java.util.Locale.ROOT) + ".:8080", ""),
                        false, true, r -> assertThat(r.body()).isEqualTo("dotted")),
                new Case("a JSON-RPC call closing its connection", any,
                        post("/rpc/devnet", CHAIN_ID, "Connection: close\r\n"), false, true,
                        r -> assertThat(r.header("connection")).isEqualTo("close")),
                new Case("a site's answer closing its connection", () -> web.serve("bye", "cache-control", "no-store"),
                        get("GET", "/bye", WEB_HOST, "Connection: close\r\n"), false, true,
                        r -> assertThat(r.header("connection")).isEqualTo("close")),
                new Case("a site's HEAD", () -> web.serve("hello", "cache-control", "no-store"),
                        get("HEAD", "/head", WEB_HOST, ""), true, true,
                        r -> assertThat(r.header("content-length")).isEqualTo("5")),
                new Case("a site whose every origin fails", any, get("GET", "/down", DOWN_HOST, ""), false, true,
                        r -> assertThat(r.json().path("error").path("reason").asText())
                                .isEqualTo("all_origins_failed")),
                new Case("a site answer that breaks off before anything was written", any,
                        get("GET", "/cut", CUT_HOST, ""), false, true,
                        r -> assertThat(r.json().path("error").path("reason").asText()).isEqualTo("response_failed")));
    }

    /** Lets the answer of {@link #slowOrigin()} end. */
    private static final AtomicReference<CompletableFuture<Void>> rest = new AtomicReference<>();

    /** Headers and a first part at once, the rest once the client has the head ({@link #rest}), no length. */
    private static void slowOrigin() {
        web.handler(req -> {
            HttpResponseWriter res = HttpResponse.streaming();
            res.write(ResponseHeaders.of(200));
            res.write(HttpData.ofUtf8("first part, "));
            CompletableFuture<Void> released = new CompletableFuture<>();
            rest.set(released);
            released.thenRun(() -> {
                res.write(HttpData.ofUtf8("second part"));
                res.close();
            });
            return res;
        });
    }

    /** A whole body and trailers, no length. */
    private static void withTrailers() {
        web.handler(req -> HttpResponse.of(ResponseHeaders.of(200), HttpData.ofUtf8("hello"),
                                           HttpHeaders.of("x-checksum", "abc")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bothPathsGiveTheSameBytes(Case c) throws IOException {
        c.origin().run();
        long before = fast.server().fastPath().answered();
        RawConnection.Response onFast = exchange(fast, c);
        assertThat(fast.server().fastPath().answered() - before).isEqualTo(c.onFastPath() ? 1 : 0);
        RawConnection.Response onArmeria = exchange(armeria, c);
        assertThat(armeria.server().fastPath().answered()).isZero();

        c.expected().accept(onFast);
        assertThat(onArmeria.statusLine()).isEqualTo(onFast.statusLine());
        assertThat(withoutDate(onArmeria.headerLines())).isEqualTo(withoutDate(onFast.headerLines()));
        assertThat(onArmeria.body()).isEqualTo(onFast.body());
        assertThat(onArmeria.trailerLines()).isEqualTo(onFast.trailerLines());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerPath.class)
    void afterAnAnswerWithConnectionCloseTheClientIsLeftToCloseFirst(ServerPath path) throws IOException {
        TestGateway gateway = path.fastPath() ? fast : armeria;
        web.serve("bye", "cache-control", "no-store");
        for (String request : List.of(post("/rpc/devnet", CHAIN_ID, "Connection: close\r\n"),
                                      get("GET", "/bye", WEB_HOST, "Connection: close\r\n"))) {
            try (RawConnection raw = new RawConnection(gateway.server().port())) {
                raw.send(request);
                assertThat(raw.read().header("connection")).isEqualTo("close");
                assertThat(raw.closedByServer(Duration.ofMillis(500))).as("closed by the server at once").isFalse();
            }
        }
    }

    private static RawConnection.Response exchange(TestGateway gateway, Case c) throws IOException {
        try (RawConnection raw = new RawConnection(gateway.server().port())) {
            raw.send(c.request());
            return c.head() ? raw.readHead() : raw.read(c.afterHead());
        }
    }

    /** The lines with the {@code Date} header's value taken out (its place stays). */
    private static List<String> withoutDate(List<String> lines) {
        return lines.stream().map(l -> l.regionMatches(true, 0, "date:", 0, 5) ? "date: (a date)" : l).toList();
    }
}
