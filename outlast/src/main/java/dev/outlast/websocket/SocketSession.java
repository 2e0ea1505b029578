package dev.outlast.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.websocket.WebSocketCloseStatus;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketWriter;
import dev.outlast.config.WebSocketConfig;
import dev.outlast.routing.Chain;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.subscription.LogFilter;
import dev.outlast.subscription.Subscriptions;
import dev.outlast.transport.RpcReply;
import dev.outlast.transport.fastpath.RpcEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * One client's WebSocket on one chain: every JSON-RPC message it sends is answered as the same body
 * over HTTP would be ({@link RpcEndpoint#reply}), except {@code eth_subscribe} and
 * {@code eth_unsubscribe}, which hold its {@link Subscriptions}; notifications are written as the
 * chain's block feed delivers blocks.
 *
 * <h2>Implementation note</h2>
 * Bad input gets a JSON-RPC error and the socket stays open; a message that is not JSON gets
 * {@code -32700}. Bytes written and not yet taken by the connection are counted: past
 * {@code maxQueuedBytes} the client is too slow, and the connection is closed with 1008 (its
 * subscriptions end; nothing else waits for it). A ping goes out every {@code pingInterval}; the
 * inbound stream's idle timeout ({@link SocketService}) closes a client that stopped answering.
 *
 * <p>Thread-safe: frames arrive on the connection's event loop, notifications on the feed's.
 */
final class SocketSession implements Subscriber<WebSocketFrame> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Chain chain;
    private final RpcEndpoint rpc;
    private final WebSocketWriter out;
    private final WebSocketConfig limits;
    private final SocketMetrics metrics;
    private final Subscriptions subscriptions;
    private final Runnable onClose;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> pings;

    SocketSession(Chain chain, SocketService.ChainFeeds feeds, RpcEndpoint rpc, WebSocketWriter out, WebSocketConfig limits,
                  SocketMetrics metrics, ScheduledExecutorService timers, Runnable onClose) {
        this.chain = chain;
        this.rpc = rpc;
        this.out = out;
        this.limits = limits;
        this.metrics = metrics;
        this.onClose = onClose;
        this.subscriptions = new Subscriptions(feeds.blocks(), feeds.pending(), limits.maxSubscriptionsPerConnection(),
                this::write,
                metrics::notification);
        long ping = limits.pingInterval().toNanos();
        this.pings = timers.scheduleAtFixedRate(() -> {
            if (out.isOpen()) {
                out.tryWrite(WebSocketFrame.ofPing());
            }
        }, ping, ping, TimeUnit.NANOSECONDS);
        out.whenComplete().handle((x, e) -> {
            end();
            return null;
        });
    }

    @Override
    public void onSubscribe(Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(WebSocketFrame frame) {
        switch (frame.type()) {
            case TEXT, BINARY -> handle(frame.array());
            case PING -> out.tryWrite(WebSocketFrame.ofPong(frame.array()));
            case CLOSE -> out.close();
            default -> {
                // pong, continuation (aggregated by the service): nothing to answer
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        if (t instanceof com.linecorp.armeria.common.StreamTimeoutException) {
            metrics.dropped("idle");
            out.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "idle for " + limits.idleTimeout().toSeconds() + "s");
        } else {
            out.close();
        }
        end();
    }

    @Override
    public void onComplete() {
        out.close();
        end();
    }

    private void end() {
        if (closed.compareAndSet(false, true)) {
            pings.cancel(false);
            subscriptions.close();
            onClose.run();
        }
    }

    /** Subscriptions held by type, for the metrics. */
    int count(Subscriptions.Type type) {
        return subscriptions.count(type);
    }

    private void handle(byte[] message) {
        JsonNode tree;
        try {
            tree = JSON.readTree(message);
        } catch (java.io.IOException e) {
            tree = null;
        }
        if (tree == null || !(tree.isObject() || tree.isArray())) {
            write(error(null, OutlastError.PARSE_ERROR, "Parse error: not a JSON-RPC message"));
            return;
        }
        if (!hasSubscriptionCall(tree)) {
            rpc.reply(chain, message).thenAccept(this::writeReply);
            return;
        }
        if (tree.isObject()) {
            write(subscriptionCall(tree));
            return;
        }
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (JsonNode element : tree) {
            answers.add(isSubscriptionCall(element) ? CompletableFuture.completedFuture(parse(subscriptionCall(element)))
                    : rpc.reply(chain, bytes(element)).thenApply(r -> r.body() == null ? null : parse(r.body())));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenRun(() -> {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            answers.forEach(a -> {
                JsonNode answer = a.join();
                if (answer != null && answer.isArray()) {
                    answer.forEach(all::add);
                } else if (answer != null) {
                    all.add(answer);
                }
            });
            if (!all.isEmpty()) {
                write(all.toString());
            }
        });
    }

    private static boolean hasSubscriptionCall(JsonNode tree) {
        if (tree.isObject()) {
            return isSubscriptionCall(tree);
        }
        for (JsonNode element : tree) {
            if (isSubscriptionCall(element)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSubscriptionCall(JsonNode request) {
        String method = request.path("method").asText("");
        return method.equals("eth_subscribe") || method.equals("eth_unsubscribe");
    }

    /** Answers one {@code eth_subscribe} or {@code eth_unsubscribe} request. */
    private String subscriptionCall(JsonNode request) {
        JsonNode id = request.get("id");
        JsonNode params = request.path("params");
        if (!params.isArray() || params.isEmpty() || !params.get(0).isTextual()) {
            return error(id, OutlastError.INVALID_PARAMS, "Invalid params: expected [type, filter] or [subscription id]");
        }
        String first = params.get(0).textValue();
        if (request.path("method").asText().equals("eth_unsubscribe")) {
            return subscriptions.unsubscribe(first) ? result(id, "true")
                    : error(id, OutlastError.INVALID_PARAMS, "No subscription " + first + " on this connection");
        }
        Subscriptions.Type type = Subscriptions.Type.of(first);
        if (type == null) {
            return error(id, OutlastError.INVALID_PARAMS, "Unknown subscription type " + first
                    + " (expected: newHeads, logs or newPendingTransactions)");
        }
        if (type == Subscriptions.Type.NEW_PENDING_TRANSACTIONS && params.size() > 1
                && !params.get(1).equals(com.fasterxml.jackson.databind.node.BooleanNode.FALSE)) {
            return error(id, OutlastError.INVALID_PARAMS, "Invalid params: newPendingTransactions takes no filter; "
                    + "full transaction bodies are not offered (subscribe without true for hashes)");
        }
        LogFilter filter = LogFilter.ANY;
        if (type == Subscriptions.Type.LOGS) {
            try {
                filter = LogFilter.parse(params.get(1));
            } catch (LogFilter.BadFilter e) {
                return error(id, OutlastError.INVALID_PARAMS, "Invalid params: " + e.getMessage());
            }
        }
        try {
            return result(id, '"' + subscriptions.subscribe(type, filter, chain.servedHead()) + '"');
        } catch (Subscriptions.TooMany e) {
            return error(id, OutlastError.INVALID_REQUEST, e.getMessage());
        }
    }

    private void writeReply(RpcReply reply) {
        if (reply.body() != null) {
            write(reply.body());
        }
    }

    private void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one text frame (UTF-8), or closes a client that has more than {@code maxQueuedBytes} waiting. */
    private void write(byte[] text) {
        if (!out.isOpen()) {
            return;
        }
        long size = text.length;
        if (queued.addAndGet(size) > limits.maxQueuedBytes()) {
            if (closed.get() || !out.isOpen()) {
                return;
            }
            metrics.dropped("slow");
            out.close(WebSocketCloseStatus.POLICY_VIOLATION, "client too slow: more than "
                    + limits.maxQueuedBytes() + " bytes waiting to be sent");
            end();
            return;
        }
        if (out.tryWrite(WebSocketFrame.ofText(text))) {
            out.whenConsumed().thenRun(() -> queued.addAndGet(-size));
        }
    }

    private static String result(JsonNode id, String resultJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "null" : id.toString()) + ",\"result\":" + resultJson
                + "}";
    }

    private static String error(JsonNode id, OutlastError kind, String message) {
        ObjectNode response = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
        response.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        response.set("error", RpcErrors.of(kind, message));
        return response.toString();
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an answer that is not JSON", e);
        }
    }
}
