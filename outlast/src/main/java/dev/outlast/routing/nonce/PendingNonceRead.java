package dev.outlast.routing.nonce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RpcOutcome;
import dev.outlast.rpc.Quantity;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code eth_getTransactionCount(address, "pending")}, served by {@link PendingNonceRule}.
 *
 * <h2>Implementation note</h2>
 * At once: the latest nonce at the served head, read as a pinned nonce is (proven, or agreed), and
 * each usable upstream having that block asked for its own pending nonce. The answer waits for the
 * latest nonce (its error, {@code proof_unavailable} or {@code no_quorum}, is the answer when it
 * fails: the nonce is never guessed), then for the pending answers still in flight at most
 * {@link #GRACE}; slower ones do not count. Every pending answer, even one arriving after the client
 * was answered, is checked against the latest nonce: below it, from an upstream whose head has the
 * block (as last polled, and as it answers when asked again), is a lie and quarantines that upstream.
 *
 * <p>Thread-safe: its state changes under its own monitor; quarantines happen outside it.
 */
final class PendingNonceRead {

    static final String METHOD = "eth_getTransactionCount";
    /** How long the pending answers in flight are waited for once the latest nonce is known. */
    static final Duration GRACE = Duration.ofMillis(50);
    /** How long an upstream suspected of a low pending nonce has to tell its head. */
    static final Duration HEAD_CHECK = Duration.ofSeconds(2);

    private final NonceRouting routing;
    private final SentTransactions sent;
    private final String address;
    private final long block;
    private final long deadline;
    private final Map<String, Long> answers = new LinkedHashMap<>();
    private final CompletableFuture<RpcOutcome> result = new CompletableFuture<>();
    private int inFlight;
    private long latest = -1;
    private RpcOutcome latestOutcome;
    private boolean done;

    PendingNonceRead(NonceRouting routing, SentTransactions sent, String address, long block) {
        this.routing = routing;
        this.sent = sent;
        this.address = address;
        this.block = block;
        this.deadline = routing.chain().ticker().nanos() + routing.chain().config().requestTimeout().toNanos();
    }

    CompletableFuture<RpcOutcome> start() {
        List<ChainUpstream> askable = routing.order(block);
        synchronized (this) {
            inFlight = askable.size();
        }
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(address).add("pending");
        for (ChainUpstream u : askable) {
            Duration timeout = Duration.ofNanos(Math.max(1, deadline - routing.chain().ticker().nanos()));
            u.upstream().call(METHOD, params, timeout).thenAccept(reply -> {
                routing.chain().record(u, METHOD, reply);
                onPending(u, reply);
            });
        }
        routing.latestNonce(address, block).thenAccept(this::onLatest);
        return result;
    }

    private void onPending(ChainUpstream from, UpstreamReply reply) {
        Optional<Long> answer = reply.isAnswer() && reply.error() == null && reply.result() != null
                && reply.result().isTextual() ? Quantity.parse(reply.result().textValue()) : Optional.empty();
        boolean lie;
        RpcOutcome served = null;
        synchronized (this) {
            inFlight--;
            answer.ifPresent(a -> answers.put(from.name(), a));
            lie = answer.isPresent() && latest >= 0 && PendingNonceRule.isLie(latest, answer.get());
            if (latest >= 0 && inFlight == 0) {
                served = decide();
            }
        }
        complete(served);
        if (lie) {
            quarantine(from, answer.get());
        }
    }

    private void onLatest(RpcOutcome outcome) {
        JsonNode value = outcome.response().isError() ? null : outcome.response().result();
        Optional<Long> nonce = value != null && value.isTextual() ? Quantity.parse(value.textValue()) : Optional.empty();
        if (nonce.isEmpty()) {
            synchronized (this) {
                done = true;
            }
            result.complete(outcome);
            return;
        }
        Map<String, Long> liars = new LinkedHashMap<>();
        RpcOutcome served = null;
        synchronized (this) {
            latest = nonce.get();
            latestOutcome = outcome;
            answers.forEach((name, a) -> {
                if (PendingNonceRule.isLie(latest, a)) {
                    liars.put(name, a);
                }
            });
            if (inFlight == 0) {
                served = decide();
            } else {
                routing.chain().scheduler().schedule(this::afterGrace, GRACE.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        complete(served);
        for (ChainUpstream u : routing.chain().upstreams()) {
            if (liars.containsKey(u.name())) {
                quarantine(u, liars.get(u.name()));
            }
        }
    }

    private void afterGrace() {
        RpcOutcome served;
        synchronized (this) {
            served = decide();
        }
        complete(served);
    }

    private void complete(RpcOutcome served) {
        if (served != null) {
            result.complete(served);
        }
    }

    /** The rule's nonce the first time it is asked for, else null; called holding the monitor, the latest nonce known. */
    private RpcOutcome decide() {
        if (done) {
            return null;
        }
        done = true;
        int run = sent.unmined(address, latest, block);
        PendingNonceRule.Decision d = PendingNonceRule.decide(latest, run, answers,
                routing.chain().config().effectiveMinAgree());
        Set<String> upstreams = new LinkedHashSet<>(latestOutcome.upstreams());
        upstreams.addAll(d.raisedBy());
        return new RpcOutcome(RpcResponse.result(TextNode.valueOf(Quantity.format(d.nonce()))),
                List.copyOf(upstreams), latestOutcome.consensus(), "ok", verified(latestOutcome, d.rule()));
    }

    /**
     * The {@code X-Outlast-Verified} value: how the latest nonce was established ({@code proof},
     * {@code consensus}, or {@code none} when served unverified), then {@code +sent} or
     * {@code +upstream} when that rule raised it.
     */
    static String verified(RpcOutcome latest, String rule) {
        String base = latest.verified() != null ? latest.verified() : latest.consensus() != null ? "consensus" : "none";
        return switch (rule) {
            case "sent" -> base + "+sent";
            case "upstream" -> base + "+upstream";
            default -> base;
        };
    }

    /**
     * Quarantines {@code u} for a pending nonce below the proven one, if its head has the block: as
     * it last reported it, and as it answers now. A node whose head fell back since its last poll (one
     * that fell behind, a provider's load balancer reaching a lagging backend) answered from an older
     * block, which is lag, not a lie.
     */
    private void quarantine(ChainUpstream u, long answer) {
        if (u.health().head() < block) {
            return;
        }
        long proven;
        synchronized (this) {
            proven = latest;
        }
        u.upstream().call("eth_blockNumber", JsonNodeFactory.instance.arrayNode(), HEAD_CHECK).thenAccept(reply -> {
            routing.chain().record(u, "eth_blockNumber", reply);
            Optional<Long> head = reply.isAnswer() && reply.result() != null && reply.result().isTextual()
                    ? Quantity.parse(reply.result().textValue()) : Optional.empty();
            if (head.isPresent() && head.get() >= block) {
                routing.quarantine(u.name(), METHOD + " at pending answered " + Quantity.format(answer)
                        + ", below the sender's nonce " + Quantity.format(proven) + " at block "
                        + Quantity.format(block) + ", with its head at " + Quantity.format(head.get()));
            }
        });
    }
}
