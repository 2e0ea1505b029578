package dev.outlast.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketFrameType;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.websocket.WebSocketService;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An upstream's WebSocket for tests: answers {@code eth_subscribe} for {@code newHeads} and
 * {@code newPendingTransactions} (or refuses it), and sends the notifications a test asks for to
 * every open socket; can close its sockets or go silent.
 */
final class FakeSocketUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One client socket and its subscriptions by type. */
    private record Open(WebSocketWriter out, Map<String, String> byType) {
    }

    private final Server server;
    private final List<Open> open = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> subscribes = new ConcurrentHashMap<>();
    private final AtomicInteger unsubscribes = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean refuse;

    FakeSocketUpstream() {
        server = Server.builder()
                .http(0)
                .requestTimeout(Duration.ZERO)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .service("/ws", WebSocketService.of((ctx, in) -> {
                    WebSocketWriter out = WebSocket.streaming();
                    Open socket = new Open(out, new ConcurrentHashMap<>());
                    open.add(socket);
                    in.subscribe(new Subscriber<>() {
                        @Override
                        public void onSubscribe(Subscription s) {
                            s.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(WebSocketFrame frame) {
                            if (frame.type() == WebSocketFrameType.TEXT) {
                                answer(socket, frame.text());
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            open.remove(socket);
                        }

                        @Override
                        public void onComplete() {
                            open.remove(socket);
                            out.close();
                        }
                    });
                    return out;
                }))
                .build();
        server.start().join();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.activeLocalPort() + "/ws");
    }

    private void answer(Open socket, String text) {
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        String id = request.path("id").toString();
        String method = request.path("method").asText();
        if (method.equals("eth_unsubscribe")) {
            unsubscribes.incrementAndGet();
            socket.byType().values().remove(request.path("params").path(0).asText());
            socket.out().tryWrite(WebSocketFrame.ofText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":true}"));
            return;
        }
        String type = request.path("params").path(0).asText();
        subscribes.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
        if (refuse) {
            socket.out().tryWrite(WebSocketFrame.ofText("{\"jsonrpc\":\"2.0\",\"id\":" + id
                    + ",\"error\":{\"code\":-32601,\"message\":\"notifications not supported\"}}"));
            return;
        }
        String subscription = "0x" + Integer.toHexString(0x100 + ids.incrementAndGet());
        socket.byType().put(type, subscription);
        socket.out().tryWrite(WebSocketFrame.ofText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\""
                + subscription + "\"}"));
    }

    /** Refuses every {@code eth_subscribe} from now on. */
    void refuseSubscriptions() {
        refuse = true;
    }

    /** How many times {@code eth_subscribe(type)} was asked. */
    int subscribes(String type) {
        AtomicInteger n = subscribes.get(type);
        return n == null ? 0 : n.get();
    }

    int unsubscribes() {
        return unsubscribes.get();
    }

    /** Sockets open now. */
    int openSockets() {
        return open.size();
    }

    /** Tells every socket subscribed to {@code newHeads} of block {@code n}. */
    void announceHead(long n) {
        notify("newHeads", "{\"number\":\"0x" + Long.toHexString(n) + "\",\"hash\":\"0x" + "ab".repeat(32) + "\"}");
    }

    /** Tells every socket subscribed to {@code newPendingTransactions} of {@code hash}. */
    void announcePending(String hash) {
        notify("newPendingTransactions", '"' + hash + '"');
    }

    private void notify(String type, String result) {
        for (Open socket : open) {
            String id = socket.byType().get(type);
            if (id != null) {
                socket.out().tryWrite(WebSocketFrame.ofText("{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\","
                        + "\"params\":{\"subscription\":\"" + id + "\",\"result\":" + result + "}}"));
            }
        }
    }

    /** Closes every open socket from the server's side. */
    void closeSockets() {
        for (Open socket : open) {
            open.remove(socket);
            socket.out().close();
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
