package dev.outlast.drill.scenario.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlast.drill.scenario.HeadStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that holds a {@code newHeads} subscription on the gateway's WebSocket for the whole run
 * and judges the stream: every block number from the first delivered on must arrive once, in order,
 * each one's {@code parentHash} the hash of the block delivered before it. A number skipped is a
 * gap, a block delivered twice a duplicate, a block that does not link to the one before it
 * unlinked (the simulated chain has no reorgs, so none is expected). The socket closing before the
 * end is counted too. Thread-safe.
 */
public final class HeadWatch implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unlinked = new AtomicLong();
    private final ConcurrentSkipListMap<Long, String> seen = new ConcurrentSkipListMap<>();
    private final StringBuilder text = new StringBuilder();
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile WebSocket socket;
    private volatile String subscription;
    private volatile boolean closing;
    private volatile boolean closedEarly;
    private volatile String failure;

    /** Opens {@code ws} (the gateway's {@code ws://host:port/rpc/chain}) and subscribes to {@code newHeads}. */
    public HeadWatch(URI ws) {
        try {
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(ws, new Listener()).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}", true);
        } catch (Exception e) {
            failure = "could not subscribe to newHeads at " + ws + ": " + e;
            closedEarly = true;
        }
    }

    /** What the stream held so far. */
    public HeadStats stats() {
        return new HeadStats(delivered.get(), gaps.get(), duplicates.get(), unlinked.get(), closedEarly, failure);
    }

    private void onMessage(String message) {
        JsonNode n;
        try {
            n = JSON.readTree(message);
        } catch (IOException e) {
            return;
        }
        if (n.path("id").asInt(-1) == 1) {
            if (n.path("result").isTextual()) {
                subscription = n.path("result").asText();
            } else {
                failure = "newHeads refused: " + n.path("error");
            }
            return;
        }
        JsonNode params = n.path("params");
        if (!"eth_subscription".equals(n.path("method").asText())
                || !params.path("subscription").asText("").equals(subscription)) {
            return;
        }
        JsonNode head = params.path("result");
        long number = Long.decode(head.path("number").asText("-1"));
        String hash = head.path("hash").asText("");
        judge(number, hash, head.path("parentHash").asText(""));
    }

    synchronized void judge(long number, String hash, String parent) {
        delivered.incrementAndGet();
        Map.Entry<Long, String> last = seen.lastEntry();
        if (seen.containsKey(number)) {
            if (seen.get(number).equals(hash)) {
                duplicates.incrementAndGet();
            } else {
                // a replacement after a reorg: accepted from here on
                seen.tailMap(number, true).clear();
                seen.put(number, hash);
            }
            return;
        }
        if (last != null) {
            if (number > last.getKey() + 1) {
                gaps.addAndGet(number - last.getKey() - 1);
            } else if (number == last.getKey() + 1 && !last.getValue().equals(parent)) {
                unlinked.incrementAndGet();
            }
        }
        seen.put(number, hash);
        seen.headMap(number - 256).clear();
    }

    @Override
    public void close() {
        closing = true;
        WebSocket s = socket;
        if (s != null) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "done").whenComplete((x, e) -> http.shutdown());
        } else {
            http.shutdown();
        }
    }

    private final class Listener implements WebSocket.Listener {

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            synchronized (text) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (!closing) {
                closedEarly = true;
                failure = "the socket closed (" + statusCode + " " + reason + ")";
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (!closing) {
                closedEarly = true;
                failure = "the socket failed: " + error;
            }
        }
    }
}
