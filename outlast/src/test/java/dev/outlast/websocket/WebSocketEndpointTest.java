package dev.outlast.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.websocket.CloseWebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketCloseStatus;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.config.WebSocketConfig;
import dev.outlast.testing.FakeUpstream;
import dev.outlast.testing.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket endpoint over fake upstreams: JSON-RPC as over HTTP, {@code newHeads} and
 * {@code logs} delivered once per block in order (across jumps of the served head and a reorg),
 * bad input answered with errors on an open socket, and the limits.
 */
class WebSocketEndpointTest {

    private final List<FakeUpstream> fakes = List.of(FakeUpstream.honest(), FakeUpstream.honest(), FakeUpstream.honest());
    private TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        fakes.forEach(FakeUpstream::close);
    }

    private void start(WebSocketConfig limits) {
        ServerConfig server = ServerConfig.of("127.0.0.1", 0).withWebSocket(limits);
        server = new ServerConfig(server.host(), server.port(), 4096, server.maxBatchSize(), server.maxJsonDepth(),
                server.eventLoops(), server.idleTimeout(), server.fastPath(), limits);
        gateway = TestGateway.start(new OutlastConfig(server, List.of(TestGateway.chain(TestGateway.named(fakes))),
                CacheConfig.DEFAULT), 3);
        await().until(() -> gateway.chain().servedHead() == 100);
    }

    private int port() {
        return gateway.server().port();
    }

    private void setHead(long block) {
        fakes.forEach(f -> f.setHead(block));
    }

    @Test
    void answersJsonRpcAndBatchesAsHttpDoes() {
        start(WebSocketConfig.DEFAULT);
        try (SocketClient ws = SocketClient.connect(port(), "devnet")) {
            assertThat(ws.call("eth_chainId", "[]").path("result").asText()).isEqualTo("0x539");
            assertThat(ws.call("eth_getBalance", "[\"0x00000000000000000000000000000000000000aa\", \"latest\"]")
                    .path("result").asText()).isEqualTo("0xde0b6b3a7640000");
            ws.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_blockNumber\"}]");
            JsonNode batch = ws.next();
            assertThat(batch.isArray()).as(batch.toString()).isTrue();
            assertThat(batch).hasSize(2);

            // a batch may subscribe too: each element answered in the one array
            ws.send("[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]},"
                    + "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"eth_chainId\"}]");
            JsonNode mixed = ws.next();
            assertThat(mixed).as(mixed.toString()).hasSize(2);
            assertThat(mixed.get(0).path("id").asInt()).isEqualTo(3);
            assertThat(mixed.get(0).path("result").asText()).startsWith("0x").hasSize(34);
            assertThat(mixed.get(1).path("result").asText()).isEqualTo("0x539");
        }
    }

    @Test
    void newHeadsDeliversEveryBlockOnceInOrderWhenTheHeadJumps() throws InterruptedException {
        start(WebSocketConfig.DEFAULT);
        try (SocketClient ws = SocketClient.connect(port(), "devnet")) {
            String id = ws.call("eth_subscribe", "[\"newHeads\"]").path("result").asText();
            assertThat(id).startsWith("0x").hasSize(34);

            setHead(101);
            JsonNode first = ws.next();
            assertThat(first.path("method").asText()).isEqualTo("eth_subscription");
            assertThat(first.path("params").path("subscription").asText()).isEqualTo(id);
            assertThat(first.path("params").path("result").path("number").asText()).isEqualTo("0x65");
            assertThat(first.path("params").path("result").path("hash").asText()).isEqualTo(fakes.get(0).blockHash(101));

            setHead(106);
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                numbers.add(ws.next().path("params").path("result").path("number").asText());
            }
            assertThat(numbers).containsExactly("0x66", "0x67", "0x68", "0x69", "0x6a");
            assertThat(ws.poll(Duration.ofMillis(500))).as("no duplicate").isNull();
        }
    }

    @Test
    void logsAreDeliveredOncePerBlockAndRemovedAfterAReorg() throws InterruptedException {
        start(WebSocketConfig.DEFAULT);
        try (SocketClient ws = SocketClient.connect(port(), "devnet")) {
            String logs = ws.call("eth_subscribe", "[\"logs\", {\"address\": \"" + FakeUpstream.LOG_ADDRESS
                    + "\", \"topics\": [\"" + FakeUpstream.LOG_TOPIC + "\"]}]").path("result").asText();
            String other = ws.call("eth_subscribe", "[\"logs\", {\"address\": \"0x" + "1".repeat(40) + "\"}]")
                    .path("result").asText();
            setHead(103);
            List<String> blocks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode n = ws.next();
                assertThat(n.path("params").path("subscription").asText()).isEqualTo(logs).isNotEqualTo(other);
                blocks.add(n.path("params").path("result").path("blockNumber").asText());
            }
            assertThat(blocks).containsExactly("0x65", "0x66", "0x67");

            // blocks 102 and 103 are replaced, and a new block 104 follows
            String old102 = fakes.get(0).blockHash(102);
            fakes.forEach(f -> f.reorg(102));
            setHead(104);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JsonNode m = ws.poll(Duration.ofSeconds(10));
                assertThat(m).as("message %d after %s", i, seen).isNotNull();
                JsonNode r = m.path("params").path("result");
                seen.add(r.path("blockNumber").asText() + (r.path("removed").asBoolean() ? " removed" : ""));
                if (r.path("removed").asBoolean() && r.path("blockNumber").asText().equals("0x66")) {
                    assertThat(r.path("blockHash").asText()).isEqualTo(old102);
                }
            }
            assertThat(seen).containsExactly("0x67 removed", "0x66 removed", "0x66", "0x67", "0x68");
            assertThat(ws.poll(Duration.ofMillis(500))).as("no duplicate").isNull();
        }
    }

    @Test
    void badInputGetsAnErrorAndTheSocketStaysOpen() {
        start(WebSocketConfig.DEFAULT);
        try (SocketClient ws = SocketClient.connect(port(), "devnet")) {
            ws.send("not json");
            assertThat(ws.next().path("error").path("code").asInt()).isEqualTo(-32700);
            JsonNode unknown = ws.call("eth_subscribe", "[\"newBlocks\"]");
            assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(unknown.path("error").path("message").asText()).contains("newHeads, logs or newPendingTransactions");
            JsonNode badFilter = ws.call("eth_subscribe", "[\"logs\", {\"address\": \"0x12\"}]");
            assertThat(badFilter.path("error").path("message").asText()).contains("not a address");
            JsonNode notMine = ws.call("eth_unsubscribe", "[\"0x0123\"]");
            assertThat(notMine.path("error").path("message").asText()).contains("No subscription 0x0123");
            JsonNode unknownMethod = ws.call("eth_noSuchMethod", "[]");
            assertThat(unknownMethod.path("error").path("code").asInt()).as("as over HTTP")
                    .isEqualTo(gateway.call("eth_noSuchMethod", "[]").path("error").path("code").asInt())
                    .isNotZero();
            assertThat(ws.call("eth_chainId", "[]").path("result").asText()).as("still open").isEqualTo("0x539");

            ws.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[\"" + "x".repeat(5000) + "\"]}");
            CloseWebSocketFrame close = ws.closed().orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(close).isNotNull();
            assertThat(close.status()).isEqualTo(WebSocketCloseStatus.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void subscriptionsPerConnectionAreLimited() {
        start(WebSocketConfig.DEFAULT.withMaxSubscriptions(2));
        try (SocketClient ws = SocketClient.connect(port(), "devnet")) {
            assertThat(ws.call("eth_subscribe", "[\"newHeads\"]").has("result")).isTrue();
            String second = ws.call("eth_subscribe", "[\"newHeads\"]").path("result").asText();
            JsonNode third = ws.call("eth_subscribe", "[\"newHeads\"]");
            assertThat(third.path("error").path("message").asText()).contains("maxSubscriptionsPerConnection");
            assertThat(ws.call("eth_unsubscribe", "[\"" + second + "\"]").path("result").asBoolean()).isTrue();
            assertThat(ws.call("eth_subscribe", "[\"newHeads\"]").has("result")).isTrue();
        }
    }

    /** Pings keep a client that answers them; one from which nothing arrives is closed after the idle timeout. */
    @Test
    void aClientThatAnswersPingsStaysAndASilentOneIsClosed() throws Exception {
        start(new WebSocketConfig(10, 100, 1 << 20, Duration.ofMillis(200), Duration.ofMillis(700)));
        try (Socket raw = new Socket("127.0.0.1", port());
             SocketClient answering = SocketClient.connect(port(), "devnet")) {
            raw.getOutputStream().write(("GET /rpc/devnet HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101");
            raw.setSoTimeout(5000);
            // frames until the close frame (0x88): pings (0x89) first
            int opcode;
            do {
                opcode = in.read() & 0x0f;
                int length = in.read() & 0x7f;
                in.readNBytes(length);
            } while (opcode != 0x8);
            sleep(Duration.ofMillis(1000));
            assertThat(answering.call("eth_chainId", "[]").path("result").asText()).as("still open").isEqualTo("0x539");
            assertThat(gateway.get("/metrics").contentUtf8())
                    .contains("outlast_ws_clients_dropped_total{reason=\"idle\"} 1.0");
        }
    }

    /** A client that stops reading is closed once its queue passes the limit; the others keep theirs. */
    @Test
    void aClientThatDoesNotReadIsDroppedAndTheOthersAreNot() throws Exception {
        start(WebSocketConfig.DEFAULT.withMaxQueuedBytes(64 * 1024));
        try (Socket raw = new Socket();
             SocketClient reader = SocketClient.connect(port(), "devnet")) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", port()));
            OutputStream out = raw.getOutputStream();
            out.write(("GET /rpc/devnet HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            String handshake = readHead(in);
            assertThat(handshake).startsWith("HTTP/1.1 101");
            // 50 newHeads subscriptions, masked as a client must: 50 notifications a block
            for (int i = 0; i < 50; i++) {
                out.write(maskedText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}"));
            }
            out.flush();
            String readerId = reader.call("eth_subscribe", "[\"newHeads\"]").path("result").asText();

            // blocks until the raw client, which reads nothing, has megabytes waiting
            for (long head = 110; head <= 600; head += 10) {
                setHead(head);
                long target = head;
                await().until(() -> gateway.chain().servedHead() == target);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.get("/metrics").contentUtf8()
                    .contains("outlast_ws_clients_dropped_total{reason=\"slow\"} 1.0"));
            // the reader got every block, in order
            long expect = 101;
            JsonNode n;
            while ((n = reader.poll(Duration.ofSeconds(2))) != null) {
                assertThat(n.path("params").path("subscription").asText()).isEqualTo(readerId);
                assertThat(Long.decode(n.path("params").path("result").path("number").asText())).isEqualTo(expect++);
            }
            assertThat(expect - 1).isEqualTo(600);
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }
}
