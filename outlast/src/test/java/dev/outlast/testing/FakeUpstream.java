package dev.outlast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process JSON-RPC upstream on port 0 for behaviour tests: a tiny honest chain (head,
 * balances, nonces) and a switchable {@link Mode} that makes it fail or lie the way real providers do.
 */
public final class FakeUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the upstream behaves; switch at any time with {@link #mode}. */
    public sealed interface Mode {
        record Honest() implements Mode { }
        /** A Cloudflare edge error page, e.g. 522. */
        record Cloudflare(int status) implements Mode { }
        record RateLimited(int retryAfterSeconds) implements Mode { }
        record Slow(Duration delay) implements Mode { }
        /** Accepts and never answers. */
        record BlackHole() implements Mode { }
        /** eth_getBalance and eth_getTransactionCount answer 0x0. */
        record LiesZero() implements Mode { }
        /** Fails a fraction of requests with a 503. */
        record ErrorRate(double fraction) implements Mode { }
        record NotJson() implements Mode { }
        record WrongChain(long chainId) implements Mode { }
        /** Reports a head this many blocks behind and answers "header not found" above it. */
        record Lagging(long blocks) implements Mode { }
        /**
         * As {@link Lagging}, and its state stopped there: eth_getBalance and eth_getTransactionCount
         * at a tag ({@code pending}, {@code latest}) answer that old block's 0x0.
         */
        record Frozen(long blocks) implements Mode { }
    }

    public static final Mode HONEST = new Mode.Honest();
    /** The contract whose one log each block has, in answers to {@code eth_getLogs} by block hash. */
    public static final String LOG_ADDRESS = "0x000000000000000000000000000000000000c0de";
    /** That log's first topic. */
    public static final String LOG_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    private final Server server;
    private final long chainId;
    private final AtomicLong head;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> rawTransactions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> minedElsewhere = new ConcurrentHashMap<>();
    private volatile Mode mode = HONEST;
    private volatile String balance = "0xde0b6b3a7640000";
    private volatile String nonce = "0x5";
    private volatile String pendingNonce;
    private volatile long forkFrom = Long.MAX_VALUE;
    private volatile long claimedHead = -1;
    private final java.util.List<String> blocksAsked = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long logsRangeLimit = Long.MAX_VALUE;
    private volatile boolean acceptBatches = true;
    private final java.util.List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int fork;
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    /** Pending transactions not yet read by eth_getFilterChanges. */
    private final java.util.Queue<String> pendingTransactions = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public FakeUpstream(long chainId, long head) {
        this.chainId = chainId;
        this.head = new AtomicLong(head);
        this.server = Server.builder()
                .http(0)
                .requestTimeout(Duration.ZERO)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
                .connectionDrainDuration(Duration.ZERO)
                .serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenCompose(agg -> {
                    try {
                        return respond(JSON.readTree(agg.contentUtf8()));
                    } catch (IOException e) {
                        return CompletableFuture.completedFuture(HttpResponse.of(HttpStatus.BAD_REQUEST));
                    }
                })))
                .build();
        server.start().join();
    }

    public static FakeUpstream honest() {
        return new FakeUpstream(1337, 100);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/");
    }

    public FakeUpstream mode(Mode newMode) {
        this.mode = newMode;
        return this;
    }

    /** Answers every (single) call of {@code method} this much later, whatever the mode. */
    public FakeUpstream delay(String method, Duration delay) {
        delays.put(method, delay);
        return this;
    }

    public void setHead(long block) {
        head.set(block);
    }

    /** The block arguments of every {@code eth_getBlockByNumber} call, in order ({@code "0x64"}, {@code "finalized"}). */
    public java.util.List<String> blocksAsked() {
        return blocksAsked;
    }

    /** Adds {@code hash} to the mempool a pending transaction filter reports ({@code eth_getFilterChanges}). */
    public void addPending(String hash) {
        pendingTransactions.add(hash);
    }

    /** Reports {@code block} from {@code eth_blockNumber} while having blocks only up to its head (-1: its head). */
    public void claimHead(long block) {
        claimedHead = block;
    }

    public void setBalance(String hex) {
        this.balance = hex;
    }

    /** The nonce answered at every block (default 0x5), and at {@code pending} unless {@link #setPendingNonce} says otherwise. */
    public void setNonce(String hex) {
        this.nonce = hex;
    }

    /** The nonce answered at {@code pending}; null: the same as at the blocks. */
    public void setPendingNonce(String hex) {
        this.pendingNonce = hex;
    }

    /** Makes this upstream refuse JSON-RPC batches, as some providers do. */
    public void refuseBatches() {
        this.acceptBatches = false;
    }

    /** The sizes of the JSON-RPC batches this upstream received, in order. */
    public java.util.List<Integer> batchSizes() {
        return java.util.List.copyOf(batchSizes);
    }

    /** Refuses {@code eth_getLogs} over more than {@code blocks} blocks, as providers do. */
    public void setLogsRangeLimit(long blocks) {
        this.logsRangeLimit = blocks;
    }

    /**
     * Replaces every block from {@code block} up with another block of the same number (a reorg):
     * {@code eth_getBlockByNumber} answers new hashes, each new block's parent the new one below.
     */
    public void reorg(long block) {
        forkFrom = Math.min(forkFrom, block);
        fork++;
    }

    /** The hash of block {@code n} on this upstream's current chain. */
    public String blockHash(long n) {
        String salt = n >= forkFrom ? "fork" + fork + ":" : "";
        return org.web3j.crypto.Hash.sha3String(salt + "block:" + n);
    }

    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /**
     * Makes {@code raw} a transaction this node got from a peer and is moving into a block: sending it
     * is refused as a nonce clash (ganache's words), and the first {@code lookupsBeforeSeen} lookups
     * by hash find nothing.
     */
    public void minedElsewhere(String raw, int lookupsBeforeSeen) {
        minedElsewhere.put(org.web3j.crypto.Hash.sha3(raw), new AtomicInteger(lookupsBeforeSeen));
    }

    public Map<String, String> rawTransactions() {
        return rawTransactions;
    }

    private CompletableFuture<HttpResponse> respond(JsonNode request) {
        Duration delay = request.isObject() ? delays.get(request.path("method").asText()) : null;
        if (delay == null) {
            return respondNow(request);
        }
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(x -> respondNow(request));
    }

    private CompletableFuture<HttpResponse> respondNow(JsonNode request) {
        Mode current = mode;
        if (request.isArray()) {
            batchSizes.add(request.size());
            request.forEach(r -> calls.computeIfAbsent(r.path("method").asText(), m -> new AtomicInteger())
                    .incrementAndGet());
            if (!acceptBatches) {
                return done(json("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
                        + "\"message\":\"batch requests are not supported\"}}"));
            }
            if (current instanceof Mode.Honest || current instanceof Mode.LiesZero || current instanceof Mode.Lagging
                    || current instanceof Mode.WrongChain) {
                com.fasterxml.jackson.databind.node.ArrayNode answers = JSON.createArrayNode();
                request.forEach(r -> answers.add(answerJson(r, current)));
                return done(json(answers.toString()));
            }
            // Edge pages, 429s, delays and resets hit the whole HTTP request, batch or not.
        } else {
            calls.computeIfAbsent(request.path("method").asText(), m -> new AtomicInteger()).incrementAndGet();
        }
        switch (current) {
            case Mode.Cloudflare c -> {
                return done(HttpResponse.of(ResponseHeaders.builder(c.status())
                        .contentType(MediaType.HTML_UTF_8)
                        .add("server", "cloudflare")
                        .add("cf-ray", "8d1f2c3b4a5e6f70-FRA")
                        .build(), HttpData.ofUtf8("<!DOCTYPE html><html><head><title>app.example.com | " + c.status()
                        + ": Connection timed out</title></head><body><h1>Error " + c.status()
                        + "</h1><p>Cloudflare Ray ID: 8d1f2c3b4a5e6f70</p></body></html>")));
            }
            case Mode.RateLimited r -> {
                return done(HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                        .add("retry-after", String.valueOf(r.retryAfterSeconds())).build(),
                        HttpData.ofUtf8("Too Many Requests")));
            }
            case Mode.Slow s -> {
                CompletableFuture<HttpResponse> later = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(s.delay().toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> later.complete(answer(request, current)));
                return later;
            }
            case Mode.BlackHole b -> {
                return new CompletableFuture<>();
            }
            case Mode.ErrorRate e -> {
                if (ThreadLocalRandom.current().nextDouble() < e.fraction()) {
                    return done(HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE));
                }
                return done(answer(request, current));
            }
            case Mode.NotJson n -> {
                return done(HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "upstream connect error"));
            }
            default -> {
                return done(answer(request, current));
            }
        }
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static HttpResponse json(String body) {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body);
    }

    private HttpResponse answer(JsonNode request, Mode current) {
        if (request.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode answers = JSON.createArrayNode();
            request.forEach(r -> answers.add(answerJson(r, current)));
            return json(answers.toString());
        }
        return json(answerJson(request, current).toString());
    }

    private ObjectNode answerJson(JsonNode request, Mode current) {
        ObjectNode response = JSON.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        long myHead = current instanceof Mode.Lagging l ? head.get() - l.blocks()
                      : current instanceof Mode.Frozen f ? head.get() - f.blocks() : head.get();
        boolean lies = current instanceof Mode.LiesZero;
        switch (method) {
            case "eth_chainId" -> response.put("result", "0x" + Long.toHexString(
                    current instanceof Mode.WrongChain w ? w.chainId() : chainId));
            case "eth_blockNumber" -> response.put("result", "0x" + Long.toHexString(claimedHead >= 0 ? claimedHead : myHead));
            case "eth_getBalance", "eth_getTransactionCount" -> {
                JsonNode block = params.path(1);
                if (block.isTextual() && block.textValue().startsWith("0x")
                        && Long.parseLong(block.textValue().substring(2), 16) > myHead) {
                    response.putObject("error").put("code", -32000).put("message", "header not found");
                } else if (lies || (current instanceof Mode.Frozen && !block.asText().startsWith("0x"))) {
                    response.put("result", "0x0");
                } else if (method.equals("eth_getBalance")) {
                    response.put("result", balance);
                } else {
                    String pending = pendingNonce;
                    response.put("result", pending != null && block.asText().equals("pending") ? pending : nonce);
                }
            }
            case "eth_call" -> {
                String data = params.path(0).path("data").asText("");
                if (data.equals("0xdead")) {
                    response.putObject("error").put("code", 3).put("message", "execution reverted")
                            .put("data", "0x08c379a0");
                } else {
                    response.put("result", "0x" + "0".repeat(63) + "1");
                }
            }
            case "eth_sendRawTransaction" -> {
                String raw = params.path(0).asText();
                if (minedElsewhere.containsKey(org.web3j.crypto.Hash.sha3(raw))) {
                    response.putObject("error").put("code", -32000).put("message",
                            "the tx doesn't have the correct nonce. account has nonce of: 2 tx has nonce of: 1");
                } else if (rawTransactions.putIfAbsent(raw, raw) != null) {
                    response.putObject("error").put("code", -32000).put("message", "already known");
                } else {
                    response.put("result", org.web3j.crypto.Hash.sha3(raw));
                }
            }
            case "eth_getTransactionByHash" -> {
                AtomicInteger hidden = minedElsewhere.get(params.path(0).asText());
                if (hidden == null || hidden.getAndDecrement() > 0) {
                    response.putNull("result");
                } else {
                    response.putObject("result").put("hash", params.path(0).asText()).put("nonce", "0x1");
                }
            }
            case "net_version" -> response.put("result", String.valueOf(chainId));
            case "eth_getLogs" -> {
                if (params.path(0).has("blockHash")) {
                    // By hash: the block's one log, from contract LOG_ADDRESS; none for a hash not on this chain.
                    com.fasterxml.jackson.databind.node.ArrayNode logs = response.putArray("result");
                    String wanted = params.path(0).path("blockHash").asText();
                    for (long n = myHead; n >= Math.max(0, myHead - 256); n--) {
                        if (blockHash(n).equals(wanted)) {
                            logs.addObject().put("address", LOG_ADDRESS).put("blockNumber", "0x" + Long.toHexString(n))
                                    .put("blockHash", wanted).put("logIndex", "0x0").put("removed", false)
                                    .put("data", "0x").putArray("topics").add(LOG_TOPIC);
                            break;
                        }
                    }
                    return response;
                }
                // One log per block of the range; ranges over the limit refused with an erigon-style error.
                long from = Long.parseLong(params.path(0).path("fromBlock").asText("0x0").substring(2), 16);
                long to = Long.parseLong(params.path(0).path("toBlock").asText("0x0").substring(2), 16);
                if (to - from + 1 > logsRangeLimit) {
                    response.putObject("error").put("code", -32000)
                            .put("message", "exceed maximum block range: " + logsRangeLimit);
                } else {
                    com.fasterxml.jackson.databind.node.ArrayNode logs = response.putArray("result");
                    for (long n = from; n <= Math.min(to, myHead); n++) {
                        logs.addObject().put("blockNumber", "0x" + Long.toHexString(n)).put("logIndex", "0x0")
                                .put("blockHash", blockHash(n)).put("data", "0x");
                    }
                }
            }
            case "eth_getBlockByNumber" -> {
                // Numbers only: the tags (finalized, safe) stay unsupported, as on many providers.
                String block = params.path(0).asText("");
                blocksAsked.add(block);
                if (!block.startsWith("0x")) {
                    response.putObject("error").put("code", -32601).put("message", "unsupported block tag " + block);
                } else if (Long.parseLong(block.substring(2), 16) > myHead) {
                    response.putNull("result");
                } else {
                    long n = Long.parseLong(block.substring(2), 16);
                    response.putObject("result").put("number", block).put("hash", blockHash(n))
                            .put("parentHash", n == 0 ? "0x" + "0".repeat(64) : blockHash(n - 1));
                }
            }
            case "eth_newPendingTransactionFilter" -> response.put("result", "0x1");
            case "eth_getFilterChanges" -> {
                com.fasterxml.jackson.databind.node.ArrayNode hashes = response.putArray("result");
                for (String h = pendingTransactions.poll(); h != null; h = pendingTransactions.poll()) {
                    hashes.add(h);
                }
            }
            default -> response.putObject("error").put("code", -32601).put("message", "the method " + method
                    + " does not exist/is not available");
        }
        return response;
    }

    @Override
    public void close() {
        // Not waiting: stopping Armeria's listener takes seconds, and nothing in a test depends on it.
        server.stop();
    }
}
