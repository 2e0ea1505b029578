package dev.outlast.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FastRpcPath}: which requests it answers, that what it does not answer reaches Armeria
 * unchanged, that answers leave in request order on one connection, and connection handling
 * (keep-alive, {@code Connection: close}, idle timeout), spoken over a raw socket so that every
 * byte is the test's.
 */
class FastRpcPathTest {

    private static final String SITE_HOST = "app.fast-path.test";
    private static final String CHAIN_ID = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}";
    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_blockNumber\"}";

    /** A balance at a final block, for an address no other test asks about (the tests share a cache). */
    private static String balance(String lastByte) {
        return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_getBalance\","
                + "\"params\":[\"0x00000000000000000000000000000000000000" + lastByte + "\",\"0x1\"]}";
    }

    private static FakeUpstream alpha;
    private static FakeUpstream origin;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        alpha = FakeUpstream.honest();
        origin = FakeUpstream.honest();
        Map<String, java.net.URI> upstreams = new LinkedHashMap<>();
        upstreams.put("alpha", alpha.uri());
        ServerConfig server = new ServerConfig("127.0.0.1", 0, 4096, ServerConfig.DEFAULT_MAX_BATCH_SIZE,
                ServerConfig.DEFAULT_MAX_JSON_DEPTH, 1, Duration.ofSeconds(1), true);
        OutlastConfig config = new OutlastConfig(server, List.of(TestGateway.chain(upstreams)),
                List.of(SiteConfig.of("app", SITE_HOST, List.of(new OriginConfig("origin", origin.uri(), null)))));
        gateway = TestGateway.start(config, 1);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        alpha.close();
        origin.close();
    }

    private static long answered() {
        return gateway.server().fastPath().answered();
    }

    @Test
    void plainCallsAreAnsweredHereOnOneKeptConnection() throws IOException {
        long before = answered();
        try (Raw raw = new Raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, ""));
            Response first = raw.read();
            raw.send(post("/rpc/devnet", balance("aa"), ""));
            Response second = raw.read();
            raw.send(post("/rpc/devnet", balance("aa"), ""));
            Response third = raw.read();

            assertThat(first.status).isEqualTo(200);
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
        try (Raw raw = new Raw()) {
            raw.send(post("/rpc/devnet", balance("bb"), ""));
            Response fast = raw.read();
            // an Origin sends it to Armeria's CORS handling; the answer comes from the same cache
            raw.send(post("/rpc/devnet", balance("bb"), "Origin: https://dapp.example\r\n"));
            Response armeria = raw.read();
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
        try (Raw raw = new Raw()) {
            // the first call goes to the upstream (a miss), so the answers after it have to wait for it
            raw.send(post("/rpc/devnet", balance("cc"), "")
                    + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + post("/rpc/devnet", CHAIN_ID, "")
                    + "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + post("/rpc/devnet", "[" + CHAIN_ID + "," + BLOCK_NUMBER + "]", ""));
            Response balance = raw.read();
            Response health = raw.read();
            Response chainId = raw.read();
            Response ready = raw.read();
            Response batch = raw.read();
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
        try (Raw raw = new Raw()) {
            String request = post("/rpc/devnet", CHAIN_ID, "");
            int headEnd = request.indexOf("\r\n\r\n") + 4;
            raw.send(request.substring(0, 20));
            Thread.sleep(20);
            raw.send(request.substring(20, headEnd));
            for (int i = headEnd; i < request.length(); i += 7) {
                Thread.sleep(5);
                raw.send(request.substring(i, Math.min(request.length(), i + 7)));
            }
            Response res = raw.read();
            assertThat(res.json().path("result").asText()).isEqualTo("0x539");
        }
        assertThat(answered() - before).isEqualTo(1);
    }

    @Test
    void whatThisPathDoesNotTakeReachesArmeria() throws IOException {
        long before = answered();
        try (Raw raw = new Raw()) {
            // chunked body
            raw.send("POST /rpc/devnet HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(CHAIN_ID.length()) + "\r\n"
                    + CHAIN_ID + "\r\n0\r\n\r\n");
            assertThat(raw.read().json().path("result").asText()).isEqualTo("0x539");
            // a body over server.maxRequestBytes: Armeria's limit and its JSON-RPC error
            String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"pad\":\"" + "x".repeat(5000) + "\"}";
            raw.send(post("/rpc/devnet", big, ""));
            Response tooLarge = raw.read();
            assertThat(tooLarge.status).isEqualTo(413);
            assertThat(tooLarge.json().path("error").path("data").path("limit").asInt()).isEqualTo(4096);
        }
        try (Raw raw = new Raw()) {
            raw.send(post("/rpc/nochain", CHAIN_ID, ""));
            Response unknown = raw.read();
            assertThat(unknown.status).isEqualTo(404);
            assertThat(unknown.json().path("error").path("data").path("chains").toString()).contains("devnet");
            raw.send("GET /rpc/devnet HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(raw.read().status).isEqualTo(405);
            raw.send(post("/rpc/devnet", CHAIN_ID, "Expect: 100-continue\r\n"));
            Response afterContinue = raw.read();
            if (afterContinue.status == 100) {
                afterContinue = raw.read();
            }
            assertThat(afterContinue.json().path("result").asText()).isEqualTo("0x539");
        }
        try (Raw raw = new Raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, "").replace("HTTP/1.1", "HTTP/1.0"));
            Response old = raw.read();
            assertThat(old.json().path("result").asText()).isEqualTo("0x539");
        }
        assertThat(answered()).isEqualTo(before);
    }

    @Test
    void aSiteOwnsItsHostEvenForRpcPaths() throws IOException {
        long before = answered();
        int originCalls = origin.calls("eth_chainId");
        try (Raw raw = new Raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, "").replace("Host: 127.0.0.1", "Host: " + SITE_HOST + ":80"));
            Response site = raw.read();
            assertThat(site.header("x-outlast-upstream")).isEqualTo("origin"); // the site's origin, not a chain's
            assertThat(site.json().path("result").asText()).isEqualTo("0x539");
        }
        assertThat(origin.calls("eth_chainId")).isEqualTo(originCalls + 1);
        assertThat(answered()).isEqualTo(before);
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        try (Raw raw = new Raw()) {
            raw.send(post("/rpc/devnet", CHAIN_ID, "Connection: close\r\n"));
            Response res = raw.read();
            assertThat(res.header("connection")).isEqualTo("close");
            assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aConnectionInUseOutlivesTheIdleTimeoutAndAnIdleOneIsClosed() throws Exception {
        try (Raw raw = new Raw()) {
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
        try (Raw raw = new Raw()) {
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
             Raw raw = new Raw(off.server().port())) {
            raw.send(post("/rpc/devnet", CHAIN_ID, ""));
            Response res = raw.read();
            assertThat(res.json().path("result").asText()).isEqualTo("0x539");
            assertThat(res.header("x-outlast-upstream")).isEqualTo("outlast");
            assertThat(off.server().fastPath().answered()).isZero();
        }
    }

    private static String post(String path, String body, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private record Response(int status, Map<String, String> headers, byte[] content) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String body() {
            return new String(content, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return TestGateway.JSON.readTree(content);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body(), e);
            }
        }
    }

    /** One client connection, written and read byte by byte. */
    private static final class Raw implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Raw() throws IOException {
            this(gateway.server().port());
        }

        Raw(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Response read() throws IOException {
            String statusLine = line();
            assertThat(statusLine).startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            byte[] content;
            if (headers.containsKey("content-length")) {
                content = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    all.write(in.readNBytes(size));
                    line();
                }
                line();
                content = all.toByteArray();
            } else {
                content = new byte[0];
            }
            return new Response(status, headers, content);
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed by the server after: " + sb);
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        boolean isOpen() throws IOException {
            socket.setSoTimeout(50);
            try {
                int b = in.read();
                if (b == -1) {
                    return false;
                }
                throw new AssertionError("unexpected byte from the server: " + b);
            } catch (SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout(10_000);
            }
        }

        /** True if the server closes the connection within {@code within}, reading nothing else. */
        boolean closedByServer(Duration within) throws IOException {
            socket.setSoTimeout((int) within.toMillis());
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true; // reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
