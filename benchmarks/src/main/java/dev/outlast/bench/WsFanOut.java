package dev.outlast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.websocket.WebSocketClient;
import com.linecorp.armeria.client.websocket.WebSocketSession;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.websocket.WebSocketFrame;
import com.linecorp.armeria.common.websocket.WebSocketFrameType;
import com.linecorp.armeria.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Fans one chain's {@code newHeads} out to many WebSocket clients through an Outlast running in its
 * own process, and measures the delivery time of each block from the moment an upstream first
 * answered its head poll with it (what an upstream's own notification would be) to the last client,
 * and Outlast's resident memory.
 *
 * <p>Three fake upstreams in this JVM serve {@code eth_chainId}, {@code eth_blockNumber} and
 * realistic headers (about 1.1 KB of JSON, a full {@code logsBloom}); the head moves every
 * {@code spacing}. Usage: {@code WsFanOut <outlast-port> <upstream-port-base> <clients> <blocks>
 * <spacing-ms>}; the caller starts Outlast with a config naming the three upstreams at
 * {@code upstream-port-base + 0..2} (see {@code benchmarks/ws-fanout.sh}).
 */
public final class WsFanOut {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong head = new AtomicLong(100);
    /** When an upstream first answered {@code eth_blockNumber} with each block (nanoTime), by block. */
    private final ConcurrentHashMap<Long, Long> firstSeen = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int outlastPort = Integer.parseInt(args[0]);
        int upstreamBase = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        int blocks = Integer.parseInt(args[3]);
        long spacingMs = Long.parseLong(args[4]);
        new WsFanOut().run(outlastPort, upstreamBase, clients, blocks, spacingMs);
        System.exit(0);
    }

    private void run(int outlastPort, int upstreamBase, int clients, int blocks, long spacingMs) throws Exception {
        List<Server> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            upstreams.add(upstream(upstreamBase + i));
        }
        System.out.println("upstreams up; waiting for outlast on " + outlastPort);
        WebClient http = WebClient.of("http://127.0.0.1:" + outlastPort);
        long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                if (http.get("/readyz").aggregate().join().status().code() == 200) {
                    break;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > readyBy) {
                throw new IllegalStateException("outlast not ready on " + outlastPort);
            }
            Thread.sleep(200);
        }
        long first = head.get() + 1;
        long lastBlock = head.get() + blocks;
        int n = blocks;
        // per block: how many clients have it, and when the last one got it
        AtomicLongArray received = new AtomicLongArray(n);
        AtomicLongArray lastAt = new AtomicLongArray(n);
        AtomicLong duplicates = new AtomicLong();
        AtomicLong gaps = new AtomicLong();
        List<Long> all = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch subscribed = new CountDownLatch(clients);
        ClientFactory factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(4)
                .idleTimeout(Duration.ZERO).build();
        WebSocketClient ws = WebSocketClient.builder("ws://127.0.0.1:" + outlastPort).factory(factory)
                .maxFramePayloadLength(1 << 20).build();
        List<com.linecorp.armeria.common.websocket.WebSocketWriter> sessions = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            WebSocketSession s = ws.connect("/rpc/bench").join();
            long[] expect = {first};
            s.inbound().subscribe(new Subscriber<>() {
                @Override
                public void onSubscribe(Subscription sub) {
                    sub.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(WebSocketFrame frame) {
                    long now = System.nanoTime();
                    if (frame.type() != WebSocketFrameType.TEXT) {
                        return;
                    }
                    String text = frame.text();
                    if (text.contains("\"result\":\"0x") && !text.contains("eth_subscription")) {
                        subscribed.countDown();
                        return;
                    }
                    int at = text.indexOf("\"number\":\"");
                    if (at < 0) {
                        return;
                    }
                    long block = Long.decode(text.substring(at + 10, text.indexOf('"', at + 10)));
                    if (block < first || block > lastBlock) {
                        return;
                    }
                    if (block < expect[0]) {
                        duplicates.incrementAndGet();
                        return;
                    }
                    if (block > expect[0]) {
                        gaps.addAndGet(block - expect[0]);
                    }
                    expect[0] = block + 1;
                    int i = (int) (block - first);
                    received.incrementAndGet(i);
                    lastAt.accumulateAndGet(i, now, Math::max);
                    Long seen = firstSeen.get(block);
                    if (seen != null) {
                        all.add(now - seen);
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
            com.linecorp.armeria.common.websocket.WebSocketWriter out = s.outbound();
            out.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}");
            sessions.add(out);
        }
        if (!subscribed.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (clients - subscribed.getCount()) + " clients subscribed");
        }
        System.out.println(clients + " clients subscribed");
        Thread.sleep(1000);
        for (int b = 0; b < blocks; b++) {
            head.incrementAndGet();
            Thread.sleep(spacingMs);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get(n - 1) < clients && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long[] lastClient = new long[n];
        int complete = 0;
        for (int i = 0; i < n; i++) {
            Long seen = firstSeen.get(first + i);
            if (seen != null && received.get(i) == clients) {
                lastClient[complete++] = lastAt.get(i) - seen;
            }
        }
        long[] perBlock = Arrays.copyOf(lastClient, complete);
        Arrays.sort(perBlock);
        long[] deliveries = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "clients %d, blocks %d (%d reached every client), gaps %d, duplicates %d%n",
                clients, n, complete, gaps.get(), duplicates.get());
        System.out.printf(Locale.ROOT, "to the last client: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                ms(perBlock, 0.50), ms(perBlock, 0.99), ms(perBlock, 1.0));
        System.out.printf(Locale.ROOT, "every delivery: p50 %.1f ms, p99 %.1f ms (%d deliveries)%n",
                ms(deliveries, 0.50), ms(deliveries, 0.99), deliveries.length);
        sessions.forEach(com.linecorp.armeria.common.websocket.WebSocketWriter::close);
        factory.closeAsync();
        upstreams.forEach(Server::stop);
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private Server upstream(int port) {
        Server server = Server.builder().http(port).service("/", (ctx, req) -> HttpResponse.of(
                req.aggregate().thenApply(agg -> {
                    try {
                        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                                JSON.writeValueAsString(answer(JSON.readTree(agg.contentUtf8()))));
                    } catch (Exception e) {
                        return HttpResponse.of(HttpStatus.BAD_REQUEST);
                    }
                }))).build();
        server.start().join();
        return server;
    }

    private JsonNode answer(JsonNode request) {
        ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", request.get("id"));
        String method = request.path("method").asText();
        long h = head.get();
        switch (method) {
            case "eth_chainId" -> out.put("result", "0x539");
            case "eth_blockNumber" -> {
                firstSeen.putIfAbsent(h, System.nanoTime());
                out.put("result", "0x" + Long.toHexString(h));
            }
            case "eth_getBlockByNumber" -> {
                String tag = request.path("params").path(0).asText();
                if (!tag.startsWith("0x") || Long.decode(tag) > h) {
                    out.putNull("result");
                } else {
                    out.set("result", header(Long.decode(tag)));
                }
            }
            case "eth_getProof" -> out.putObject("error").put("code", -32601).put("message", "not available");
            default -> out.putObject("error").put("code", -32601).put("message", "the method " + method
                    + " does not exist/is not available");
        }
        return out;
    }

    private static ObjectNode header(long n) {
        ObjectNode h = JSON.createObjectNode();
        h.put("number", "0x" + Long.toHexString(n)).put("hash", hash(n)).put("parentHash", hash(n - 1))
                .put("sha3Uncles", hash(-1)).put("miner", "0x" + "95222290dd7278aa3ddd389cc1e1d165cc4bafe5")
                .put("stateRoot", hash(n * 7)).put("transactionsRoot", hash(n * 11)).put("receiptsRoot", hash(n * 13))
                .put("logsBloom", "0x" + "0".repeat(512)).put("difficulty", "0x0").put("gasLimit", "0x1c9c380")
                .put("gasUsed", "0xe4e1c0").put("timestamp", "0x" + Long.toHexString(1_700_000_000L + 12 * n))
                .put("extraData", "0x6265617665726275696c642e6f7267").put("mixHash", hash(n * 17))
                .put("nonce", "0x0000000000000000").put("baseFeePerGas", "0x3b9aca00");
        h.putArray("transactions");
        h.putArray("uncles");
        return h;
    }

    private static String hash(long n) {
        return String.format(Locale.ROOT, "0x%064x", n & Long.MAX_VALUE);
    }
}
