package dev.outlast.drill.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.websocket.WebSocket;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketFrameType;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.websocket.WebSocketServiceHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The WebSocket face of a {@link SimulatedProvider}: JSON-RPC over a socket as over HTTP, and
 * {@code eth_subscribe} for {@code newHeads} (each block the chain makes, as geth sends it) and
 * {@code newPendingTransactions} (each transaction hash the pool accepts). Thread-safe.
 */
final class SimSockets implements WebSocketServiceHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One open socket: its writer and its subscriptions, id to type. */
    private record Open(WebSocketWriter out, Map<String, String> subscriptions) {
    }

    private final SimulatedChain chain;
    private final ChainRpc rpc;
    private final Set<Open> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong(0x5100);

    SimSockets(SimulatedChain chain, ChainRpc rpc) {
        this.chain = chain;
        this.rpc = rpc;
        chain.onBlock(block -> notify("newHeads", ChainJson.block(chain, block, false)));
        chain.onPending(hash -> notify("newPendingTransactions", JSON.getNodeFactory().textNode(hash)));
    }

    @Override
    public WebSocket handle(ServiceRequestContext ctx, WebSocket in) {
        ctx.clearRequestTimeout();
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
                    byte[] message = frame.array();
                    // a subscription is answered in place, before any notification of it can go out;
                    // other calls run where HTTP's do (signature recovery is CPU work)
                    if (!subscription(socket, message)) {
                        ctx.blockingTaskExecutor().execute(() ->
                                out.tryWrite(WebSocketFrame.ofText(rpc.handle(message).toString())));
                    }
                } else if (frame.type() == WebSocketFrameType.PING) {
                    out.tryWrite(WebSocketFrame.ofPong(frame.array()));
                }
            }

            @Override
            public void onError(Throwable t) {
                end();
            }

            @Override
            public void onComplete() {
                end();
            }

            private void end() {
                open.remove(socket);
                out.close();
            }
        });
        return out;
    }

    /** Answers {@code message} if it is {@code eth_subscribe} or {@code eth_unsubscribe}; false otherwise. */
    private boolean subscription(Open socket, byte[] message) {
        JsonNode request;
        try {
            request = JSON.readTree(message);
        } catch (IOException e) {
            return false;
        }
        String method = request == null ? "" : request.path("method").asText();
        if (!method.equals("eth_subscribe") && !method.equals("eth_unsubscribe")) {
            return false;
        }
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", request.get("id"));
        String first = request.path("params").path(0).asText("");
        synchronized (socket) {
            if (method.equals("eth_unsubscribe")) {
                answer.put("result", socket.subscriptions().remove(first) != null);
            } else if (first.equals("newHeads") || first.equals("newPendingTransactions")) {
                String id = "0x" + Long.toHexString(ids.incrementAndGet());
                socket.subscriptions().put(id, first);
                answer.put("result", id);
            } else {
                answer.putObject("error").put("code", -32602).put("message", "unsupported subscription type " + first);
            }
            socket.out().tryWrite(WebSocketFrame.ofText(answer.toString()));
        }
        return true;
    }

    /** Sends {@code result} to every subscription of {@code type}. */
    private void notify(String type, JsonNode result) {
        for (Open socket : open) {
            synchronized (socket) {
                socket.subscriptions().forEach((id, t) -> {
                    if (t.equals(type)) {
                        ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "eth_subscription");
                        n.putObject("params").put("subscription", id).set("result", result);
                        socket.out().tryWrite(WebSocketFrame.ofText(n.toString()));
                    }
                });
            }
        }
    }
}
