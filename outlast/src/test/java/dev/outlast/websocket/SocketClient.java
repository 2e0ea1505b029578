package dev.outlast.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.websocket.WebSocketClient;
import com.linecorp.armeria.client.websocket.WebSocketSession;
import com.linecorp.armeria.common.websocket.CloseWebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketFrameType;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** A WebSocket client for tests: sends text, and queues every text message and the close frame it gets. */
final class SocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocketWriter out;
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseWebSocketFrame> closed = new CompletableFuture<>();

    private SocketClient(WebSocketSession session) {
        this.out = session.outbound();
        session.inbound().subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(WebSocketFrame frame) {
                if (frame.type() == WebSocketFrameType.TEXT) {
                    try {
                        messages.add(JSON.readTree(frame.text()));
                    } catch (IOException e) {
                        throw new AssertionError("not JSON: " + frame.text(), e);
                    }
                } else if (frame.type() == WebSocketFrameType.PING) {
                    out.write(WebSocketFrame.ofPong(frame.array()));
                } else if (frame instanceof CloseWebSocketFrame close) {
                    closed.complete(close);
                }
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(null);
            }

            @Override
            public void onComplete() {
                closed.complete(null);
            }
        });
    }

    static SocketClient connect(int port, String chain) {
        WebSocketSession session = WebSocketClient.builder("ws://127.0.0.1:" + port).maxFramePayloadLength(16 << 20)
                .build().connect("/rpc/" + chain).join();
        return new SocketClient(session);
    }

    void send(String text) {
        out.write(text);
    }

    /** The next message, waiting up to 10 s. */
    JsonNode next() {
        return next(Duration.ofSeconds(10));
    }

    JsonNode next(Duration wait) {
        try {
            JsonNode m = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + wait);
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message, or null if none comes within {@code wait}. */
    JsonNode poll(Duration wait) throws InterruptedException {
        return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends one request and returns the next message (tests send one at a time before subscribing). */
    JsonNode call(String method, String params) {
        send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}");
        return next();
    }

    CompletableFuture<CloseWebSocketFrame> closed() {
        return closed;
    }

    @Override
    public void close() {
        out.close();
    }
}
