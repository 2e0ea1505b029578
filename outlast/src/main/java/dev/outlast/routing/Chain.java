package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.cache.CachePolicy;
import dev.outlast.cache.CachedAnswer;
import dev.outlast.cache.ResponseCache;
import dev.outlast.cache.Validity;
import dev.outlast.config.ChainConfig;
import dev.outlast.routing.head.CanonicalChain;
import dev.outlast.routing.head.HeadAge;
import dev.outlast.routing.head.HeadTracker;
import dev.outlast.routing.nonce.Nonces;
import dev.outlast.routing.proof.Proofs;
import dev.outlast.rpc.MethodCatalog;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcErrors;
import dev.outlast.rpc.RpcRequest;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.time.Ticker;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain served at {@code /rpc/{id}}: its upstreams, their health, the head tracker, and the
 * routing of each request (answered locally, pinned and sent with failover, with consensus, or
 * broadcast). Identical concurrent requests are coalesced into one routed call. Its parts are built
 * by {@link ChainAssembly} and share a {@link ChainContext}; this class is the facade the server
 * and the operations API use.
 *
 * <p>Thread-safe. {@link #execute} never blocks and its future never completes exceptionally.
 */
public final class Chain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Chain.class);
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final ChainConfig config;
    private final ChainContext context;
    private final HeadTracker heads;
    private final ChainCalls calls;
    private final Proofs proofs;
    private final ChainReads reads;
    private final Nonces nonces;
    private final ConcurrentHashMap<String, CompletableFuture<RpcOutcome>> inFlight = new ConcurrentHashMap<>();
    private final ResponseCache cache;
    private final CanonicalChain canonical;
    /** The widest eth_getLogs range sent in one call: the configured maximum, narrowed by refusals. */
    private final LogsWidth logsWidth;
    private final MethodCatalog catalog;

    /** A chain without a response cache. */
    public Chain(ChainConfig config, ClientFactory factory, ScheduledExecutorService scheduler, Ticker ticker,
                 RoutingListener listener) {
        this(config, factory, scheduler, ticker, listener, null, 0);
    }

    /**
     * @param scheduler    where the chain's timers (deadlines, hedges, pauses) and polls run
     * @param ticker       the chain's time: every pause, wait and deadline of its routing is measured by it
     * @param cache        the response cache, or null for none
     * @param reorgHorizon blocks behind the head after which a block counts as final for the cache
     *                     (with the upstreams' {@code finalized} block, whichever is lower)
     */
    public Chain(ChainConfig config, ClientFactory factory, ScheduledExecutorService scheduler, Ticker ticker,
                 RoutingListener listener, ResponseCache cache, long reorgHorizon) {
        this(ChainAssembly.assemble(config, factory, scheduler, ticker, listener, cache, reorgHorizon));
    }

    private Chain(ChainAssembly.Parts parts) {
        this.context = parts.context();
        this.config = context.config();
        this.heads = parts.heads();
        this.calls = parts.calls();
        this.proofs = parts.proofs();
        this.reads = parts.reads();
        this.nonces = parts.nonces();
        this.cache = parts.cache();
        this.canonical = parts.canonical();
        this.logsWidth = parts.logsWidth();
        this.catalog = parts.catalog();
    }

    /** Starts head and chain id polling, and the block watch of the cache. */
    public void start() {
        heads.start();
        proofs.start();
        if (canonical != null) {
            canonical.start();
        }
    }

    @Override
    public void close() {
        proofs.close();
        heads.stop();
        if (canonical != null) {
            canonical.stop();
        }
        context.upstreams().forEach(u -> u.upstream().close());
    }

    /** The cache's view of this chain's blocks (final block, recent hashes), or null without a cache. */
    public dev.outlast.cache.Finality cacheFinality() {
        return canonical;
    }

    public String id() {
        return config.id();
    }

    public ChainConfig config() {
        return config;
    }

    public List<ChainUpstream> upstreams() {
        return context.upstreams();
    }

    /** What is known of {@code upstream}'s {@code eth_getProof}: {@code supported}, {@code unsupported} or {@code unknown}. */
    public String proofSupport(String upstream) {
        return proofs.support(upstream);
    }

    /**
     * How balances, nonces, code and storage are verified right now: {@code proofs},
     * {@code consensus} or {@code both} ({@code auto} resolved by what the upstreams serve).
     */
    public String effectiveVerify() {
        return switch (config.verify().mode()) {
            case AUTO -> proofs.anyUsableSupports() ? "proofs" : "consensus";
            default -> config.verify().mode().label();
        };
    }

    /** The block number clients are told is the head; never decreases; -1 before any is known. */
    public long servedHead() {
        return heads.servedHead();
    }

    /** The agreed {@code finalized} block; -1 when the upstreams do not report one. */
    public long finalizedHead() {
        return heads.finalizedHead();
    }

    /** True when at least one upstream could serve a request now. */
    public boolean isReady() {
        return context.upstreams().stream().anyMatch(u -> u.health().isUsable()) && servedHead() >= 0;
    }

    /** Routes one request; completes with the outcome, never exceptionally. */
    public CompletableFuture<RpcOutcome> execute(RpcRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            log.error("chain {}: unexpected error routing {}", config.id(), request.method(), e);
            return CompletableFuture.completedFuture(
                    RpcOutcome.error(OutlastError.INTERNAL_ERROR, "Internal error", config.id()));
        }
    }

    private CompletableFuture<RpcOutcome> route(RpcRequest request) {
        MethodCatalog.Method method = catalog.lookup(request.method());
        long served = servedHead();
        switch (method.kind()) {
            case DENIED -> {
                ObjectNode error = RpcErrors.of(OutlastError.METHOD_NOT_ALLOWED,
                        "Method not allowed: " + request.method());
                RpcErrors.data(error).put("method", request.method()).put("why", method.why());
                return done(new RpcOutcome(RpcResponse.error(error), List.of(), null,
                        OutlastError.METHOD_NOT_ALLOWED.reason()));
            }
            case CHAIN_ID -> {
                return done(new RpcOutcome(RpcResponse.result(TextNode.valueOf(Quantity.format(config.chainId()))),
                        List.of(), null, "ok"));
            }
            case HEAD -> {
                if (served < 0) {
                    return done(RpcOutcome.error(OutlastError.NO_USABLE_UPSTREAM,
                            "No upstream has reported a head yet", config.id()));
                }
                if (heads.age().isStale()) {
                    return done(heads.age().error(served));
                }
                List<String> having = context.upstreams().stream()
                        .filter(u -> u.health().head() >= served && u.health().isHonestAndVerified())
                        .map(ChainUpstream::name).toList();
                return done(new RpcOutcome(RpcResponse.result(TextNode.valueOf(Quantity.format(served))),
                        having, null, "ok"));
            }
            case BROADCAST -> {
                return coalesce(request.method(), canonicalKey(request.method(), request.paramsNode()),
                        () -> nonces.send(request.paramsNode(), () -> calls.broadcast(request)));
            }
            case READ -> {
                // never coalesced: a pending nonce read begun after a send must count that send
                CompletableFuture<RpcOutcome> pendingNonce = nonces.pending(request.method(), request.paramsNode());
                if (pendingNonce != null) {
                    return pendingNonce;
                }
                Pinning.Pinned pinned = Pinning.pin(request, method,
                        new Pinning.Heads(served, heads.safeHead(), heads.finalizedHead()));
                if (pinned.latest() && heads.age().isStale()) {
                    return done(heads.age().error(served));
                }
                if ("eth_getLogs".equals(request.method()) && pinned.pinned()) {
                    CompletableFuture<RpcOutcome> logs = logs(pinned);
                    if (logs != null) {
                        return logs;
                    }
                }
                String key = canonicalKey(request.method(), pinned.params());
                if (cache != null && key != null && CachePolicy.mayCache(request.method())) {
                    return cachedRead(request.method(), pinned, key);
                }
                return coalesce(request.method(), key, () -> read(request.method(), pinned));
            }
        }
        throw new IllegalStateException("unreachable: " + method.kind());
    }

    /** How stale the served head is, and how it last moved. */
    public HeadAge headAge() {
        return heads.age();
    }

    /** Runs {@code listener} each time the served head moves up; it must not block. */
    public void onHeadAdvance(Runnable listener) {
        heads.onAdvance(listener);
    }

    /** {@code upstream} announced a new block on its socket: its head is polled now, not at its turn. */
    public void headAnnounced(ChainUpstream upstream) {
        heads.refresh(upstream);
    }

    /** The hash of block {@code n} as the cache's reorg watch last read it; null when unknown or without a cache. */
    public String servedHash(long n) {
        return canonical == null ? null : canonical.hashAt(n);
    }

    private static CompletableFuture<RpcOutcome> done(RpcOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    /** {@code chain method params} with the params' keys sorted; null if they cannot be written. */
    private String canonicalKey(String method, JsonNode params) {
        return ResponseCache.key(config.id(), method, params);
    }

    /**
     * A cacheable read: from the embedded cache, else the shared one, else routed (coalesced with
     * identical reads in flight) and kept when {@link CachePolicy} allows.
     */
    private CompletableFuture<RpcOutcome> cachedRead(String method, Pinning.Pinned pinned, String key) {
        CachedAnswer hit = cache.lookupLocal(config.id(), key, canonical);
        if (hit != null) {
            return done(fromCache(hit));
        }
        if (!cache.hasSharedTier()) {
            return fetchAndKeep(method, pinned, key);
        }
        return cache.lookupShared(config.id(), key, method, canonical)
                .thenCompose(shared -> shared != null ? done(fromCache(shared)) : fetchAndKeep(method, pinned, key));
    }

    private CompletableFuture<RpcOutcome> fetchAndKeep(String method, Pinning.Pinned pinned, String key) {
        cache.missed(config.id(), method);
        return coalesce(method, key, () -> read(method, pinned).thenApply(outcome -> {
            keep(method, pinned, key, outcome);
            return outcome.withCache("MISS");
        }));
    }

    private void keep(String method, Pinning.Pinned pinned, String key, RpcOutcome outcome) {
        if (outcome.response().isError() || Proofs.UNVERIFIED.equals(outcome.verified())) {
            return;
        }
        JsonNode result = outcome.response().result();
        boolean confirmed = outcome.consensus() == null || outcome.agreeing() >= config.effectiveMinAgree();
        Optional<Validity> validity = CachePolicy.validity(method, pinned.params(), result, confirmed, canonical);
        if (validity.isEmpty()) {
            return;
        }
        int bytes;
        try {
            bytes = PLAIN.writeValueAsBytes(result).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return;
        }
        cache.store(config.id(), key, new CachedAnswer(method, result, outcome.upstreams(), outcome.consensus(),
                outcome.verified(), validity.get(), bytes));
    }

    private static RpcOutcome fromCache(CachedAnswer hit) {
        return new RpcOutcome(RpcResponse.result(hit.result()), hit.upstreams(), hit.consensus(), "ok",
                hit.verified(), "HIT");
    }

    /**
     * A pinned {@code eth_getLogs} over a concrete range, split when wider than the chain accepts
     * (see {@link LogsSplit}); null when the filter names no concrete range (by block hash).
     */
    private CompletableFuture<RpcOutcome> logs(Pinning.Pinned pinned) {
        JsonNode filter = pinned.params().size() == 1 ? pinned.params().get(0) : null;
        if (filter == null || !filter.isObject()) {
            return null;
        }
        Optional<Long> from = Quantity.parse(filter.path("fromBlock").asText(""));
        Optional<Long> to = Quantity.parse(filter.path("toBlock").asText(""));
        if (from.isEmpty() || to.isEmpty() || to.get() < from.get()) {
            return null;
        }
        return logs((ObjectNode) filter, from.get(), to.get());
    }

    private CompletableFuture<RpcOutcome> logs(ObjectNode filter, long from, long to) {
        long width = logsWidth.current();
        long blocks = to - from + 1;
        if (blocks <= width) {
            return logsChunk(filter, from, to);
        }
        long calls = (blocks + width - 1) / width;
        if (calls > config.logs().maxChunks()) {
            return done(LogsSplit.tooWide(config.id(), from, to, width, config.logs().maxChunks()));
        }
        return LogsSplit.fetch(from, to, width, range -> logsChunk(filter, range[0], range[1]));
    }

    /** One range as one read (cached and coalesced); narrows the chain's width when it is refused. */
    private CompletableFuture<RpcOutcome> logsChunk(ObjectNode filter, long from, long to) {
        Pinning.Pinned chunk = new Pinning.Pinned(LogsSplit.withRange(filter, from, to),
                to <= servedHead() ? to : -1, true);
        String key = canonicalKey("eth_getLogs", chunk.params());
        CompletableFuture<RpcOutcome> read = cache != null && key != null
                ? cachedRead("eth_getLogs", chunk, key)
                : coalesce("eth_getLogs", key, () -> read("eth_getLogs", chunk));
        return read.thenCompose(outcome -> {
            JsonNode error = outcome.response().isError() ? outcome.response().error() : null;
            if (to > from && LogsSplit.isTooWide(error)) {
                long accepted = LogsSplit.acceptedRange(error).orElse((to - from + 1) / 2);
                long narrower = Math.max(1, Math.min(accepted, to - from));
                long before = logsWidth.refused(narrower);
                if (narrower < before) {
                    log.info("chain {}: an upstream refused eth_getLogs over {} blocks; ranges are now split into "
                            + "{} blocks", config.id(), to - from + 1, narrower);
                }
                return logs(filter, from, to);
            }
            return done(outcome);
        });
    }

    private CompletableFuture<RpcOutcome> coalesce(String method, String key,
                                                   java.util.function.Supplier<CompletableFuture<RpcOutcome>> call) {
        if (key == null) {
            return call.get();
        }
        CompletableFuture<RpcOutcome> mine = new CompletableFuture<>();
        CompletableFuture<RpcOutcome> existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            context.listener().onCoalesced(config.id(), method);
            return existing;
        }
        CompletableFuture<RpcOutcome> routed;
        try {
            routed = call.get();
        } catch (RuntimeException e) {
            routed = CompletableFuture.failedFuture(e);
        }
        routed.whenComplete((outcome, error) -> {
            inFlight.remove(key, mine);
            if (error != null) {
                log.error("chain {}: routing {} failed", config.id(), method, error);
                mine.complete(RpcOutcome.error(OutlastError.INTERNAL_ERROR, "Internal error", config.id()));
            } else {
                mine.complete(outcome);
            }
        });
        return mine;
    }

    private CompletableFuture<RpcOutcome> read(String method, Pinning.Pinned pinned) {
        return reads.read(method, pinned);
    }
}
