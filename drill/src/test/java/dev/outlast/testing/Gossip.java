package dev.outlast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.drill.CallFilter;
import dev.outlast.drill.FaultProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stands in for the p2p network between test nodes: whatever changes the chain on one node, sent
 * through that node's {@link FaultProxy}, is replayed on every other node before the client gets its
 * answer, so the nodes stay identical (same blocks, same hashes).
 *
 * <p>Implementation note: ganache mines a block per transaction at once, so the nodes stay identical
 * only if every node applies the same requests in the same order. All proxies of one gossip share a
 * lock held around "forward to own node, then replay on the others" for the requests in
 * {@link #CHAIN_CHANGING}; concurrent senders through different proxies are thereby serialized.
 * Answers of the other nodes (such as nonce errors) are not passed on. Each node gets each raw
 * transaction once: a node's proxy answers a transaction that node already has (sent through its
 * proxy or relayed to it) with the node's first answer to it, and the relay skips nodes that have it;
 * ganache, unlike a real node, can mine a transaction it gets twice a second time and fork. Requests
 * sent to a node directly, bypassing its proxy, are not gossiped. Thread-safe.
 */
public final class Gossip implements AutoCloseable {

    /** The methods replayed on the other nodes. */
    public static final Set<String> CHAIN_CHANGING = Set.of("eth_sendRawTransaction", "eth_sendTransaction",
            "evm_mine");

    static final int SEND_ATTEMPTS = 3;

    private final List<URI> nodes;
    private final ReentrantLock lock = new ReentrantLock();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    /** Per node: the hash of each raw transaction it has, and its first answer to it (without an id). */
    private final List<Map<String, JsonNode>> delivered;

    private Gossip(List<URI> nodes) {
        this.nodes = List.copyOf(nodes);
        this.delivered = nodes.stream().<Map<String, JsonNode>>map(n -> new ConcurrentHashMap<>()).toList();
    }

    /** Connects {@code proxies.get(i)}, the proxy in front of {@code nodes.get(i)}, to the others. */
    public static Gossip connect(List<FaultProxy> proxies, List<URI> nodes) {
        if (proxies.size() != nodes.size()) {
            throw new IllegalArgumentException("proxies: " + proxies.size() + " (expected: one per node, "
                    + nodes.size() + ")");
        }
        Gossip gossip = new Gossip(nodes);
        for (int i = 0; i < proxies.size(); i++) {
            int origin = i;
            proxies.get(i).serializeForwarding(gossip.lock, Gossip::changesChain, gossip.filter(origin))
                    .onRequest(body -> gossip.relay(origin, body));
        }
        return gossip;
    }

    /** How many requests were replayed on other nodes so far. */
    public long relayed() {
        return relayed.get();
    }

    /** How many raw transactions a proxy answered itself because its node already had them. */
    public long repeatsAnswered() {
        return repeats.get();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    /** What node {@code i}'s proxy answers itself: a raw transaction the node already has. */
    private CallFilter filter(int i) {
        return new CallFilter() {
            @Override
            public JsonNode answer(JsonNode call) {
                String hash = rawHash(call);
                JsonNode known = hash == null ? null : delivered.get(i).get(hash);
                if (known == null) {
                    return null;
                }
                repeats.incrementAndGet();
                ObjectNode answer = known.deepCopy();
                answer.set("id", call.get("id"));
                return answer;
            }

            @Override
            public void answered(JsonNode call, JsonNode answer) {
                remember(i, call, answer);
            }
        };
    }

    /** The hash of the transaction {@code call} sends raw, or null for another call. */
    private static String rawHash(JsonNode call) {
        if (!"eth_sendRawTransaction".equals(call.path("method").asText())) {
            return null;
        }
        return org.web3j.crypto.Hash.sha3(call.path("params").path(0).asText()).toLowerCase(java.util.Locale.ROOT);
    }

    private void remember(int node, JsonNode call, JsonNode answer) {
        String hash = rawHash(call);
        if (hash != null && answer != null && answer.isObject()) {
            ObjectNode kept = answer.deepCopy();
            kept.remove("id");
            delivered.get(node).putIfAbsent(hash, kept);
        }
    }

    static boolean changesChain(JsonNode body) {
        return !chainChanging(body).isEmpty();
    }

    private static List<JsonNode> chainChanging(JsonNode body) {
        List<JsonNode> calls = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(call -> {
                if (CHAIN_CHANGING.contains(call.path("method").asText())) {
                    calls.add(call);
                }
            });
        } else if (CHAIN_CHANGING.contains(body.path("method").asText())) {
            calls.add(body);
        }
        return calls;
    }

    private void relay(int origin, JsonNode body) {
        for (JsonNode call : chainChanging(body)) {
            String hash = rawHash(call);
            for (int j = 0; j < nodes.size(); j++) {
                if (j != origin && (hash == null || !delivered.get(j).containsKey(hash))) {
                    send(j, call);
                }
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JsonRpcClient.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private boolean knows(URI node, JsonNode call) {
        if (!"eth_sendRawTransaction".equals(call.path("method").asText())) {
            return false;
        }
        String hash = org.web3j.crypto.Hash.sha3(call.path("params").path(0).asText());
        String lookup = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionByHash\",\"params\":[\""
                + hash + "\"]}";
        try {
            Thread.sleep(100);
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(node).timeout(Duration.ofSeconds(10))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(lookup)).build(), HttpResponse.BodyHandlers.ofString());
            return res.body().contains("\"hash\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Replays one call on a node. A failed send is tried again: ganache closes idle keep-alive
     * connections, and the first POST on such a stale connection fails without reaching the node;
     * a node that silently missed a transaction would fork from the others, which no real p2p
     * network allows for long. A transaction the node answered is not sent to it again. A node that is really down misses the transaction, as a partitioned peer would.
     */
    private void send(int j, JsonNode call) {
        URI node = nodes.get(j);
        for (int attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> res = client.send(HttpRequest.newBuilder(node).timeout(Duration.ofSeconds(30))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(call.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                relayed.incrementAndGet();
                remember(j, call, parse(res.body()));
                return;
            } catch (IOException e) {
                // Stale connection or node down: try again on a fresh connection, unless the node got
                // the transaction after all (a POST raced against the node closing an idle connection
                // can arrive and still fail here; sending it again at once made ganache count it twice).
                if (knows(node, call)) {
                    relayed.incrementAndGet();
                    remember(j, call, JsonRpcClient.MAPPER.createObjectNode().put("jsonrpc", "2.0")
                            .put("result", rawHash(call)));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
