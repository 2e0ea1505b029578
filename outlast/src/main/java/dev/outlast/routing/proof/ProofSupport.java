package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.upstream.Upstream;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>Public for the chain's assembly, which makes it before the upstreams (a recovery
 * {@linkplain #reprobe reprobes}) and has it {@linkplain #learn learn} from every
 * {@code eth_getProof} reply; it is handed the upstreams' list where it needs it.
 *
 * <p>Thread-safe.
 */
public final class ProofSupport {

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

    private final String chainId;
    private final ScheduledExecutorService scheduler;
    private final Duration requestTimeout;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    /** Upstreams that answered {@code eth_getBlockReceipts} as an unknown method. */
    private final java.util.Set<String> noBlockReceipts = ConcurrentHashMap.newKeySet();
    /** Upstreams with a probe in flight or scheduled: a recovery during one does not start another. */
    private final java.util.Set<String> probing = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param chainId        for the log
     * @param scheduler      where probes and their retries run
     * @param requestTimeout how long a probe waits for its answer
     */
    public ProofSupport(String chainId, ScheduledExecutorService scheduler, Duration requestTimeout) {
        this.chainId = chainId;
        this.scheduler = scheduler;
        this.requestTimeout = requestTimeout;
    }

    State state(String upstream) {
        return states.getOrDefault(upstream, State.UNKNOWN);
    }

    /**
     * What is known of {@code upstream}'s {@code eth_getProof}: {@code supported}, {@code unsupported}
     * or {@code unknown}.
     */
    String label(String upstream) {
        return state(upstream).label();
    }

    /** True when one of {@code upstreams} is usable and known to serve proofs. */
    boolean anyUsableSupports(List<ChainUpstream> upstreams) {
        for (ChainUpstream u : upstreams) {
            if (state(u.name()) == State.SUPPORTED && u.health().isUsable()) {
                return true;
            }
        }
        return false;
    }

    /** Those of {@code upstreams} that may be asked for a proof: all but those known not to serve it. */
    List<ChainUpstream> provers(List<ChainUpstream> upstreams) {
        return upstreams.stream().filter(u -> state(u.name()) != State.UNSUPPORTED).toList();
    }

    /** False once {@code upstream} said it does not know {@code eth_getBlockReceipts}. */
    boolean servesBlockReceipts(String upstream) {
        return !noBlockReceipts.contains(upstream);
    }

    void noBlockReceipts(String upstream) {
        noBlockReceipts.add(upstream);
    }

    /** Probes each of {@code upstreams} (at start). */
    void probeAll(List<ChainUpstream> upstreams) {
        upstreams.forEach(u -> startProbing(u.upstream()));
    }

    /**
     * Probes {@code upstream} again (it has just recovered) if what it serves is still unknown and no
     * probe of it is under way; a known answer is kept up to date by real {@code eth_getProof} calls.
     */
    public void reprobe(Upstream upstream) {
        if (state(upstream.name()) == State.UNKNOWN) {
            startProbing(upstream);
        }
    }

    private void startProbing(Upstream upstream) {
        if (probing.add(upstream.name())) {
            // On the scheduler: never inside a caller's outgoing batch (Upstream.batching) or its thread.
            scheduler.execute(() -> probe(upstream, 0));
        }
    }

    /** Stops probing. */
    void close() {
        closed = true;
    }

    private void probe(Upstream upstream, int attempt) {
        if (closed) {
            probing.remove(upstream.name());
            return;
        }
        ArrayNode params = JsonNodeFactory.instance.arrayNode()
                .add("0x" + "0".repeat(40)).add(JsonNodeFactory.instance.arrayNode()).add("latest");
        upstream.call("eth_getProof", params, requestTimeout).whenComplete((reply, e) -> {
            boolean learnt = e == null && learn(upstream.name(), reply);
            if (!learnt && !closed && state(upstream.name()) == State.UNKNOWN) {
                long delay = Math.min(MAX_RETRY.toMillis(), 1000L << Math.min(attempt, 16));
                scheduler.schedule(() -> probe(upstream, attempt + 1), delay, TimeUnit.MILLISECONDS);
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
    public boolean learn(String upstream, UpstreamReply reply) {
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
            log.info("chain {}: upstream {} {} eth_getProof", chainId, upstream,
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
