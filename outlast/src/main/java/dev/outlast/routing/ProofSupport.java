package dev.outlast.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which upstreams of a chain serve {@code eth_getProof}, for {@code verify: auto}.
 *
 * <h2>Implementation note</h2>
 * Each upstream starts {@link State#UNKNOWN}. A probe {@code eth_getProof(0x00…00, [], "latest")}
 * is sent at start, and when the upstream recovers (from {@code down} or {@code misconfigured})
 * while its support is still unknown;
 * every real {@code eth_getProof} reply teaches the same (see {@link #learn}). An object result means
 * {@link State#SUPPORTED}; a JSON-RPC error that names the method as missing or unsupported
 * ({@code -32601}, "method not found", "does not exist", "not supported", …) means
 * {@link State#UNSUPPORTED}; anything else (a timeout, a 5xx, "header not found", a pruned node's
 * "missing trie node") says nothing about support and leaves the state as it was. A probe that
 * learnt nothing is repeated after 1 s, doubling to {@link #MAX_RETRY}, while the upstream stays
 * unknown. Probes go straight to the upstream: they do not count in its health or error rate, so an
 * upstream without proofs is not made to look unhealthy by being asked.
 *
 * <p>Thread-safe.
 */
final class ProofSupport {

    /** What is known of one upstream's {@code eth_getProof}. */
    enum State {
        UNKNOWN("unknown"), SUPPORTED("supported"), UNSUPPORTED("unsupported");

        private final String label;

        State(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    static final Duration MAX_RETRY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ProofSupport.class);
    private static final Pattern UNSUPPORTED = Pattern.compile(
            "method not found|does not exist|not supported|unsupported|not implemented|not available|unknown method"
                    + "|no such method|not whitelisted|not allowed");
    private static final Pattern STATE_GONE = Pattern.compile("state|trie|header|block|pruned|histor");

    private final Chain chain;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    /** Upstreams that answered {@code eth_getBlockReceipts} as an unknown method. */
    private final java.util.Set<String> noBlockReceipts = ConcurrentHashMap.newKeySet();
    /** Upstreams with a probe in flight or scheduled: a recovery during one does not start another. */
    private final java.util.Set<String> probing = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ProofSupport(Chain chain) {
        this.chain = chain;
    }

    State state(String upstream) {
        return states.getOrDefault(upstream, State.UNKNOWN);
    }

    /** True when a usable upstream is known to serve proofs. */
    boolean anyUsableSupports() {
        for (ChainUpstream u : chain.upstreams()) {
            if (state(u.name()) == State.SUPPORTED && u.health().isUsable()) {
                return true;
            }
        }
        return false;
    }

    /** The upstreams that may be asked for a proof: all but those known not to serve it. */
    List<ChainUpstream> provers() {
        return chain.upstreams().stream().filter(u -> state(u.name()) != State.UNSUPPORTED).toList();
    }

    /** False once {@code upstream} said it does not know {@code eth_getBlockReceipts}. */
    boolean servesBlockReceipts(String upstream) {
        return !noBlockReceipts.contains(upstream);
    }

    void noBlockReceipts(String upstream) {
        noBlockReceipts.add(upstream);
    }

    void probeAll() {
        chain.upstreams().forEach(this::startProbing);
    }

    /**
     * Probes {@code upstream} again (it has just recovered) if what it serves is still unknown and no
     * probe of it is under way; a known answer is kept up to date by real {@code eth_getProof} calls.
     */
    void reprobe(String upstream) {
        if (state(upstream) == State.UNKNOWN) {
            chain.upstreams().stream().filter(u -> u.name().equals(upstream)).forEach(this::startProbing);
        }
    }

    private void startProbing(ChainUpstream upstream) {
        if (probing.add(upstream.name())) {
            // On the scheduler: never inside a caller's outgoing batch (Upstream.batching) or its thread.
            chain.scheduler().execute(() -> probe(upstream, 0));
        }
    }

    void close() {
        closed = true;
    }

    private void probe(ChainUpstream upstream, int attempt) {
        if (closed) {
            probing.remove(upstream.name());
            return;
        }
        ArrayNode params = JsonNodeFactory.instance.arrayNode()
                .add("0x" + "0".repeat(40)).add(JsonNodeFactory.instance.arrayNode()).add("latest");
        upstream.upstream().call("eth_getProof", params, chain.config().requestTimeout()).whenComplete((reply, e) -> {
            boolean learnt = e == null && learn(upstream.name(), reply);
            if (!learnt && !closed && state(upstream.name()) == State.UNKNOWN) {
                long delay = Math.min(MAX_RETRY.toMillis(), 1000L << Math.min(attempt, 16));
                chain.scheduler().schedule(() -> probe(upstream, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                probing.remove(upstream.name());
            }
        });
    }

    /**
     * Updates what is known from one {@code eth_getProof} reply.
     *
     * @return whether the reply said anything about support
     */
    boolean learn(String upstream, UpstreamReply reply) {
        State now;
        if (reply.error() == null && reply.isAnswer()) {
            JsonNode result = reply.result();
            if (result == null || !result.isObject()) {
                return false;
            }
            now = State.SUPPORTED;
        } else if (reply.error() != null && unsupported(reply.error())) {
            now = State.UNSUPPORTED;
        } else {
            return false;
        }
        State before = states.put(upstream, now);
        if (before != now) {
            log.info("chain {}: upstream {} {} eth_getProof", chain.id(), upstream,
                    now == State.SUPPORTED ? "serves" : "does not serve");
        }
        return true;
    }

    /** A JSON-RPC error saying the method itself is missing, not that this block's state is. */
    static boolean unsupported(JsonNode error) {
        if (error.path("code").asInt(0) == -32601) {
            return true;
        }
        String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
        return UNSUPPORTED.matcher(message).find()
                && (message.contains("method") || message.contains("getproof") || !STATE_GONE.matcher(message).find());
    }
}
