package dev.outlast.server;

import static dev.outlast.testing.RawConnection.get;
import static dev.outlast.testing.RawConnection.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.config.OriginConfig;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.outlast.testing.CuttingOrigin;
import dev.outlast.testing.FakeOrigin;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.RawConnection;
import dev.outlast.testing.TestGateway;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.outlast.transport.fastpath.FastPath}: which requests it answers, that what it does not answer reaches Armeria
 * unchanged, that answers leave in request order on one connection, and connection handling
 * (keep-alive, {@code Connection: close}, idle timeout), spoken over a raw socket so that every
 * byte is the test's. On the fast path only, not {@link dev.outlast.testing.BothPaths}: each case
 * checks whether the fast path took the request ({@code BothPathsTest} compares both paths' bytes).
 */
class FastPathTest {

    private static final String SITE_HOST = "app.fast-path.test";
    private static final String WEB_HOST = "web.fast-path.test";
    private static final String CUT_HOST = "cut.fast-path.test";
    private static final String CHAIN_ID = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}";
    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_blockNumber\"}";

    /** A balance at a final block, for an address no other test asks about (the tests share a cache). */
    private static String balance(String lastByte) {
        return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_getBalance\","
                + "\"params\":[\"0x00000000000000000000000000000000000000" + lastByte + "\",\"0x1\"]}";
    }

    private static FakeUpstream alpha;
    private static FakeUpstream origin;
    private static FakeOrigin web;
    private static CuttingOrigin cutting;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        alpha = FakeUpstream.honest();
        origin = FakeUpstream.honest();
        Map<String, java.net.URI> upstreams = new LinkedHashMap<>();
        upstreams.put("alpha", alpha.uri());
        ServerConfig server = new ServerConfig("127.0.0.1", 0, 4096, ServerConfig.DEFAULT_MAX_BATCH_SIZE,
                ServerConfig.DEFAULT_MAX_JSON_DEPTH, 1, Duration.ofSeconds(1), true);
        web = new FakeOrigin("web");
        cutting = new CuttingOrigin();
        OutlastConfig config = new OutlastConfig(server, List.of(TestGateway.chain(upstreams)),
                List.of(SiteConfig.of("app", SITE_HOST, List.of(new OriginConfig("origin", origin.uri(), null))),
                        SiteConfig.of("web", WEB_HOST, List.of(new OriginConfig("web-origin", web.uri(), null))),
                        SiteConfig.of("cut", CUT_HOST, List.of(new OriginConfig("cutter", cutting.uri(), null)))));
        gateway = TestGateway.start(config, 1);
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        alpha.close();
        origin.close();
        web.close();
        cutting.close();
    }

    private static RawConnection raw() throws IOException {
        return new RawConnection(gateway.server().port());
    }

    private static long answered() {
        return gateway.server().fastPath().answered();
    }

    @Test
    void plainCallsAreAnsweredHereOnOneKeptConnection() throws IOException {
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, ""));
            RawConnection.Response first = raw.read();
            raw.send(post("/rpc/devnet", balance("aa"), ""));
            RawConnection.Response second = raw.read();
            raw.send(post("/rpc/devnet", balance("aa"), ""));
            RawConnection.Response third = raw.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().path("result").asText()).isEqualTo("0x539");
            assertThat(first.header("content-type")).isEqualTo("application/json; charset=utf-8");
            assertThat(first.header("x-outlast-upstream")).isEqualTo("outlast");
            assertThat(first.header("date")).endsWith(" GMT");
            assertThat(first.header("connection")).isNull();
            assertThat(second.json().path("result").asText()).startsWith("0x");
            assertThat(second.header("x-outlast-upstream")).isEqualTo("alpha");
            assertThat(second.header("x-outlast-cache")).isEqualTo("MISS");
            assertThat(third.json()).isEqualTo(second.json());
            assertThat(third.header("x-outlast-cache")).isEqualTo("HIT");
            assertThat(raw.isOpen()).isTrue();
        }
        assertThat(answered() - before).isEqualTo(3);
    }

    @Test
    void theSameCallGetsTheSameAnswerFromArmeria() throws IOException {
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(post("/rpc/devnet", balance("bb"), ""));
            RawConnection.Response fast = raw.read();
            // an Origin sends it to Armeria's CORS handling; the answer comes from the same cache
            raw.send(post("/rpc/devnet", balance("bb"), "Origin: https://dapp.example\r\n"));
            RawConnection.Response armeria = raw.read();
            assertThat(armeria.json()).isEqualTo(fast.json());
            assertThat(fast.header("x-outlast-cache")).isEqualTo("MISS");
            assertThat(armeria.header("x-outlast-cache")).isEqualTo("HIT");
            assertThat(armeria.header("x-outlast-upstream")).isEqualTo(fast.header("x-outlast-upstream"));
            assertThat(armeria.header("content-type")).isEqualTo(fast.header("content-type"));
            assertThat(armeria.header("access-control-allow-origin")).isEqualTo("*");
            assertThat(fast.header("access-control-allow-origin")).isNull();
            assertThat(armeria.header("server")).isNull();
        }
        assertThat(answered() - before).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsOfBothKindsAreAnsweredInOrder() throws IOException {
        try (RawConnection raw = raw()) {
            // the first call goes to the upstream (a miss), so the answers after it have to wait for it
            raw.send(post("/rpc/devnet", balance("cc"), "")
                    + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + post("/rpc/devnet", CHAIN_ID, "")
                    + "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + post("/rpc/devnet", "[" + CHAIN_ID + "," + BLOCK_NUMBER + "]", ""));
            RawConnection.Response balance = raw.read();
            RawConnection.Response health = raw.read();
            RawConnection.Response chainId = raw.read();
            RawConnection.Response ready = raw.read();
            RawConnection.Response batch = raw.read();
            assertThat(balance.json().path("id").asInt()).isEqualTo(3);
            assertThat(balance.header("x-outlast-upstream")).isEqualTo("alpha");
            assertThat(balance.header("x-outlast-cache")).isEqualTo("MISS");
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(chainId.json().path("result").asText()).isEqualTo("0x539");
            assertThat(ready.json().path("ready").asBoolean()).isTrue();
            assertThat(batch.json().size()).isEqualTo(2);
            assertThat(batch.json().get(0).path("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aBodyArrivingInPiecesIsReadWhole() throws Exception {
        long before = answered();
        try (RawConnection raw = raw()) {
            String request = post("/rpc/devnet", CHAIN_ID, "");
            int headEnd = request.indexOf("\r\n\r\n") + 4;
            raw.send(request.substring(0, 20));
            Thread.sleep(20);
            raw.send(request.substring(20, headEnd));
            for (int i = headEnd; i < request.length(); i += 7) {
                Thread.sleep(5);
                raw.send(request.substring(i, Math.min(request.length(), i + 7)));
            }
            RawConnection.Response res = raw.read();
            assertThat(res.json().path("result").asText()).isEqualTo("0x539");
        }
        assertThat(answered() - before).isEqualTo(1);
    }

    @Test
    void whatThisPathDoesNotTakeReachesArmeria() throws IOException {
        long before = answered();
        try (RawConnection raw = raw()) {
            // chunked body
            raw.send("POST /rpc/devnet HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(CHAIN_ID.length()) + "\r\n"
                    + CHAIN_ID + "\r\n0\r\n\r\n");
            assertThat(raw.read().json().path("result").asText()).isEqualTo("0x539");
            // a body over server.maxRequestBytes: Armeria's limit and its JSON-RPC error
            String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"pad\":\"" + "x".repeat(5000) + "\"}";
            raw.send(post("/rpc/devnet", big, ""));
            RawConnection.Response tooLarge = raw.read();
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.json().path("error").path("data").path("limit").asInt()).isEqualTo(4096);
        }
        try (RawConnection raw = raw()) {
            raw.send(post("/rpc/nochain", CHAIN_ID, ""));
            RawConnection.Response unknown = raw.read();
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("error").path("data").path("chains").toString()).contains("devnet");
            raw.send("GET /rpc/devnet HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(405);
            raw.send(post("/rpc/devnet", CHAIN_ID, "Expect: 100-continue\r\n"));
            RawConnection.Response afterContinue = raw.read();
            if (afterContinue.status() == 100) {
                afterContinue = raw.read();
            }
            assertThat(afterContinue.json().path("result").asText()).isEqualTo("0x539");
        }
        try (RawConnection raw = raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, "").replace("HTTP/1.1", "HTTP/1.0"));
            RawConnection.Response old = raw.read();
            assertThat(old.json().path("result").asText()).isEqualTo("0x539");
        }
        assertThat(answered()).isEqualTo(before);
    }

    @Test
    void aSiteOwnsItsHostEvenForRpcPaths() throws IOException {
        long before = answered();
        int originCalls = origin.calls("eth_chainId");
        try (RawConnection raw = raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, "").replace("Host: 127.0.0.1", "Host: " + SITE_HOST + ":80"));
            RawConnection.Response site = raw.read();
            assertThat(site.header("x-outlast-upstream")).isEqualTo("origin"); // the site's origin, not a chain's
            assertThat(site.json().path("result").asText()).isEqualTo("0x539");
        }
        assertThat(origin.calls("eth_chainId")).isEqualTo(originCalls + 1);
        assertThat(answered()).isEqualTo(before);
    }

    @Test
    void aSitesGetAndHeadAreAnsweredHere() throws IOException {
        web.serve("hello from the origin", "cache-control", "no-store", "x-origin-header", "kept");
        long before = answered();
        int received = web.received().size();
        try (RawConnection raw = raw()) {
            raw.send(get("GET", "/docs//a%7e.html?q=1&r=%2F", WEB_HOST + ":8080",
                          "X-Forwarded-For: 203.0.113.7\r\nConnection: keep-alive, x-drop-me\r\nX-Drop-Me: 1\r\n"));
            RawConnection.Response got = raw.read();
            raw.send(get("HEAD", "/page", WEB_HOST, ""));
            RawConnection.Response head = raw.readHead();
            raw.send(get("GET", "/again", WEB_HOST, ""));
            RawConnection.Response again = raw.read();

            assertThat(got.status()).as(got.body() + got.headers()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("hello from the origin");
            assertThat(got.header("content-length")).isEqualTo("21");
            assertThat(got.header("x-outlast-upstream")).isEqualTo("web-origin");
            assertThat(got.header("x-origin-header")).isEqualTo("kept");
            assertThat(got.header("date")).endsWith(" GMT");
            assertThat(got.header("transfer-encoding")).isNull();
            // a HEAD answer has the headers and no body: the next answer on the connection reads whole
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("21");
            assertThat(head.content()).isEmpty();
            assertThat(again.body()).isEqualTo("hello from the origin");
            assertThat(raw.isOpen()).isTrue();
        }
        assertThat(answered() - before).isEqualTo(3);
        List<FakeOrigin.Received> sent = web.received().subList(received, web.received().size());
        assertThat(sent).hasSize(3);
        com.linecorp.armeria.common.RequestHeaders first = sent.get(0).headers();
        // the path normalised as Armeria's server does it (an empty segment, an unreserved %7e)
        assertThat(first.path()).isEqualTo("/docs/a~.html?q=1&r=%2F");
        assertThat(first.get("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(first.get("x-forwarded-host")).isEqualTo(WEB_HOST + ":8080");
        assertThat(first.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(first.authority()).isEqualTo(web.uri().getAuthority());
        assertThat(first.contains("x-drop-me")).isFalse();
        assertThat(sent.get(1).headers().method().name()).isEqualTo("HEAD");
    }

    @Test
    void aSitesAnswerMatchesArmeriasAnswerForTheSameRequest() throws IOException {
        web.serve("same either way", "cache-control", "no-store", "x-origin-header", "kept");
        RawConnection.Response fast;
        RawConnection.Response armeria;
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(get("GET", "/same", WEB_HOST, ""));
            fast = raw.read();
            // HTTP/1.0 is left to Armeria
            raw.send(get("GET", "/same", WEB_HOST, "Connection: keep-alive\r\n").replace("HTTP/1.1", "HTTP/1.0"));
            armeria = raw.read();
        }
        assertThat(answered() - before).isEqualTo(1);
        assertThat(armeria.status()).isEqualTo(fast.status());
        assertThat(armeria.body()).isEqualTo(fast.body());
        Map<String, String> fastHeaders = new LinkedHashMap<>(fast.headers());
        Map<String, String> armeriaHeaders = new LinkedHashMap<>(armeria.headers());
        fastHeaders.remove("date");
        armeriaHeaders.remove("date");
        armeriaHeaders.remove("connection"); // keep-alive, said to the HTTP/1.0 client
        assertThat(fastHeaders).isEqualTo(armeriaHeaders);
    }

    @Test
    void aResponseStillArrivingIsChunkedAndTheNextAnswersWaitForIt() throws IOException {
        web.handler(req -> {
            HttpResponseWriter res = HttpResponse.streaming();
            res.write(ResponseHeaders.of(200));
            res.write(HttpData.ofUtf8("first part, "));
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> {
                res.write(HttpData.ofUtf8("second part"));
                res.close();
            });
            return res;
        });
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(get("GET", "/slow", WEB_HOST, "") + post("/rpc/devnet", CHAIN_ID, "")
                     + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + get("GET", "/slow", WEB_HOST, ""));
            RawConnection.Response slow = raw.read();
            RawConnection.Response chainId = raw.read();
            RawConnection.Response health = raw.read();
            RawConnection.Response slowAgain = raw.read();
            assertThat(slow.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(slow.header("content-length")).isNull();
            assertThat(slow.body()).isEqualTo("first part, second part");
            assertThat(chainId.json().path("result").asText()).isEqualTo("0x539");
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(slowAgain.body()).isEqualTo("first part, second part");
        }
        assertThat(answered() - before).isEqualTo(3);
    }

    @Test
    void aClientLeavingMidBodyStopsTheOriginsStream() throws Exception {
        CompletableFuture<HttpResponseWriter> stream = new CompletableFuture<>();
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        web.handler(req -> {
            HttpResponseWriter res = HttpResponse.streaming();
            res.write(ResponseHeaders.of(200));
            writeForever(res, chunk);
            stream.complete(res);
            return res;
        });
        try (RawConnection raw = raw()) {
            raw.send(get("GET", "/endless", WEB_HOST, ""));
            raw.readHead(); // the headers, then the first bytes of the body
            assertThat(raw.in().readNBytes(64 * 1024)).hasSize(64 * 1024);
        }
        HttpResponseWriter origin = stream.get(5, TimeUnit.SECONDS);
        // the origin's response ends (its connection to the proxy closed) instead of streaming on
        assertThat(origin.whenComplete().handle((v, e) -> e)).succeedsWithin(Duration.ofSeconds(10))
                .isNotNull();
    }

    /** Writes {@code chunk} whenever the reader took the last one, until the stream is closed. */
    private static void writeForever(HttpResponseWriter res, byte[] chunk) {
        if (res.tryWrite(HttpData.wrap(chunk))) {
            res.whenConsumed().thenRun(() -> writeForever(res, chunk));
        }
    }

    @Test
    void whatTheSitePathDoesNotTakeReachesArmeria() throws IOException {
        web.handler(req -> HttpResponse.of("web " + req.method() + " " + req.path()));
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(get("OPTIONS", "/x", WEB_HOST, ""));
            assertThat(raw.read().body()).isEqualTo("web OPTIONS /x");
            raw.send(get("GET", "/with-length", WEB_HOST, "Content-Length: 0\r\n"));
            assertThat(raw.read().body()).isEqualTo("web GET /with-length");
            raw.send(get("GET", "/two-cookies", WEB_HOST, "Cookie: a=1\r\nCookie: b=2\r\n"));
            assertThat(raw.read().body()).isEqualTo("web GET /two-cookies");
            raw.send(get("GET", "/status", "127.0.0.1", ""));
            assertThat(raw.read().status()).isEqualTo(200);
        }
        try (RawConnection raw = raw()) {
            // a path Armeria's server refuses is refused by it
            raw.send(get("GET", "/page/../secret", WEB_HOST, ""));
            assertThat(raw.read().status()).isEqualTo(400);
        }
        assertThat(answered()).isEqualTo(before);
    }

    @Test
    void aBodyThatBreaksOffBeforeItsEndIsA502OnEitherPath() throws IOException {
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(get("GET", "/cut", CUT_HOST, ""));
            RawConnection.Response fast = raw.read();
            raw.send(get("GET", "/cut", CUT_HOST, "Content-Length: 0\r\n"));
            RawConnection.Response armeria = raw.read();
            assertThat(fast.status()).isEqualTo(502);
            assertThat(fast.json().path("error").path("reason").asText()).isEqualTo("response_failed");
            assertThat(fast.json().path("error").path("message").asText()).contains("cutter");
            assertThat(armeria.status()).isEqualTo(502);
            assertThat(armeria.json().path("error").path("reason").asText()).isEqualTo("response_failed");
            assertThat(raw.isOpen()).isTrue();
        }
        assertThat(answered() - before).isEqualTo(1);
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        try (RawConnection raw = raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, "Connection: close\r\n"));
            RawConnection.Response res = raw.read();
            assertThat(res.header("connection")).isEqualTo("close");
            // after Armeria's close delay (3 s), in which the client may close first
            assertThat(raw.closedByServer(Duration.ofSeconds(10))).isTrue();
        }
        web.serve("bye");
        long before = answered();
        try (RawConnection raw = raw()) {
            raw.send(get("GET", "/bye", WEB_HOST, "Connection: close\r\n"));
            RawConnection.Response res = raw.read();
            assertThat(res.body()).isEqualTo("bye");
            assertThat(res.header("connection")).isEqualTo("close");
            assertThat(raw.closedByServer(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(answered() - before).isEqualTo(1);
    }

    @Test
    void aConnectionInUseOutlivesTheIdleTimeoutAndAnIdleOneIsClosed() throws Exception {
        try (RawConnection raw = raw()) {
            long end = System.nanoTime() + Duration.ofMillis(2600).toNanos();
            int calls = 0;
            while (System.nanoTime() < end) {
                raw.send(post("/rpc/devnet", CHAIN_ID, ""));
                assertThat(raw.read().json().path("result").asText()).isEqualTo("0x539");
                calls++;
                Thread.sleep(200);
            }
            assertThat(calls).isGreaterThan(8);
            assertThat(raw.isOpen()).isTrue();
            // idle now: closed about one idle timeout (1 s) later
            assertThat(raw.closedByServer(Duration.ofSeconds(4))).isTrue();
        }
        try (RawConnection raw = raw()) {
            raw.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(raw.read().body()).isEqualTo("ok\n");
            assertThat(raw.closedByServer(Duration.ofSeconds(4))).isTrue();
        }
    }

    @Test
    void turnedOffEveryCallGoesThroughArmeria() throws IOException {
        Map<String, java.net.URI> upstreams = Map.of("alpha", alpha.uri());
        ServerConfig server = new ServerConfig("127.0.0.1", 0, 4096, ServerConfig.DEFAULT_MAX_BATCH_SIZE,
                ServerConfig.DEFAULT_MAX_JSON_DEPTH, 1, Duration.ofSeconds(1), false);
        try (TestGateway off = TestGateway.start(new OutlastConfig(server, List.of(TestGateway.chain(upstreams))), 1);
             RawConnection raw = new RawConnection(off.server().port())) {
            raw.send(post("/rpc/devnet", CHAIN_ID, ""));
            RawConnection.Response res = raw.read();
            assertThat(res.json().path("result").asText()).isEqualTo("0x539");
            assertThat(res.header("x-outlast-upstream")).isEqualTo("outlast");
            assertThat(off.server().fastPath().answered()).isZero();
        }
    }
}
