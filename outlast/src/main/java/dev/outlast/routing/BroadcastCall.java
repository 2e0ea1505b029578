package dev.outlast.routing;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlast.routing.nonce.NonceErrors;
import dev.outlast.routing.retry.RetryQueue;
import dev.outlast.rpc.OutlastError;
import dev.outlast.rpc.RpcResponse;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code eth_sendRawTransaction} sent to every usable upstream at once.
 *
 * <p>The client is answered as soon as one upstream accepts, with the transaction hash; the other
 * sends keep running so the transaction spreads. An "already known" answer counts as acceptance
 * (the transaction is in that node's pool). When every upstream has answered and none accepted,
 * the first rejection (e.g. nonce too low, insufficient funds) is returned as it came; when none
 * answered at all, it is sent to the upstreams that were not usable (down but honest, recovering),
 * then, when upstreams are inside a 429's Retry-After and the deadline allows, again to them once
 * it has passed; only when those fail too is the answer {@code all_upstreams_failed}.
 */
final class BroadcastCall {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BroadcastCall.class);

    private static final List<String> ALREADY_KNOWN = List.of(
            "already known", "known transaction", "already imported", "already exists", "alreadyknown",
            "transaction already in", "already in the pool", "already in mempool");

    private final CallContext ctx;
    private final List<ChainUpstream> targets;
    private final String txHash;
    private final CompletableFuture<RpcOutcome> result = new CompletableFuture<>();
    private final List<UpstreamReply> rejections = new ArrayList<>();
    private final List<UpstreamReply> failures = new ArrayList<>();
    static final int LOOKUP_ROUNDS = 3;
    static final Duration LOOKUP_SPACING = Duration.ofMillis(150);

    private int pending;
    private final java.util.Set<ChainUpstream> sent = new java.util.HashSet<>();
    private boolean done;
    private ScheduledFuture<?> deadlineTimer;

    BroadcastCall(CallContext ctx, List<ChainUpstream> targets, String txHash) {
        this.ctx = ctx;
        this.targets = targets;
        this.txHash = txHash;
    }

    CompletableFuture<RpcOutcome> start() {
        synchronized (this) {
            List<ChainUpstream> first = targets.isEmpty() ? lastResorts() : targets;
            deadlineTimer = ctx.chain().scheduler().schedule(this::onDeadline, Math.max(0, ctx.remainingNanos()),
                    TimeUnit.NANOSECONDS);
            if (!first.isEmpty()) {
                send(first);
            } else if (!waitForRetryAfter()) {
                finish(RpcOutcome.error(OutlastError.NO_USABLE_UPSTREAM, "No usable upstream to send the transaction to",
                        ctx.chain().id()));
            }
        }
        return result;
    }

    private void send(List<ChainUpstream> wave) {
        pending += wave.size();
        sent.addAll(wave);
        for (ChainUpstream target : wave) {
            target.upstream().call(ctx.method(), ctx.params(), Duration.ofNanos(Math.max(1, ctx.remainingNanos())))
                    .thenAccept(reply -> onReply(target, reply));
        }
    }

    /**
     * The upstreams not sent to yet that may still take the transaction: down but honest, or
     * recovering. Asked only when every usable one failed, so that a last working path is used
     * rather than the client getting an error.
     */
    private List<ChainUpstream> lastResorts() {
        List<ChainUpstream> rest = new ArrayList<>();
        for (ChainUpstream u : ctx.chain().upstreams()) {
            if (!sent.contains(u) && u.health().isAvailableAsFallback()) {
                rest.add(u);
            }
        }
        return rest;
    }

    static boolean alreadyKnown(UpstreamReply reply) {
        if (reply.error() == null) {
            return false;
        }
        String message = reply.error().path("message").asText("").toLowerCase(Locale.ROOT);
        return ALREADY_KNOWN.stream().anyMatch(message::contains);
    }

    private void onReply(ChainUpstream from, UpstreamReply reply) {
        ctx.chain().record(from, ctx.method(), reply);
        synchronized (this) {
            pending--;
            if (done) {
                return;
            }
            if (reply.isAnswer() && (reply.error() == null || alreadyKnown(reply))) {
                String hash = reply.result() != null && reply.result().isTextual() ? reply.result().textValue() : txHash;
                if (txHash != null && !txHash.equalsIgnoreCase(hash)) {
                    hash = txHash;
                }
                finish(new RpcOutcome(RpcResponse.result(TextNode.valueOf(hash)), List.of(from.name()), null, "ok"));
                return;
            }
            if (reply.isAnswer()) {
                rejections.add(reply);
            } else {
                failures.add(reply);
            }
            if (pending == 0) {
                if (!rejections.isEmpty() && txHash != null && rejections.stream().anyMatch(BroadcastCall::nonceUsed)) {
                    confirmByHash(1);
                } else if (!rejections.isEmpty()) {
                    UpstreamReply first = rejections.get(0);
                    finish(Attempts.answer(first, List.of(first.upstream()), null));
                } else {
                    List<ChainUpstream> rest = lastResorts();
                    if (!rest.isEmpty() && ctx.remainingNanos() > 0) {
                        send(rest);
                        return;
                    }
                    if (waitForRetryAfter()) {
                        return;
                    }
                    finishNoneAccepted();
                }
            }
        }
    }

    /**
     * When the upstreams left are inside the Retry-After of a 429 (said before this call or to
     * it: a 429 is a refusal to look at the transaction, so sending it again is safe), waits for the
     * first to end, if the deadline reaches that far, and sends to those free by then. A
     * transaction is not dropped because a provider asked for a pause.
     *
     * @return true when a send is scheduled (the caller must not finish)
     */
    private boolean waitForRetryAfter() {
        List<ChainUpstream> limited = new ArrayList<>();
        long wait = -1;
        for (ChainUpstream u : ctx.chain().upstreams()) {
            long n = u.health().retryAfterNanos();
            if (n > 0) {
                limited.add(u);
                wait = RetryQueue.earliest(wait, n);
            }
        }
        if (wait < 0 || wait >= ctx.remainingNanos()) {
            return false;
        }
        ctx.chain().scheduler().schedule(() -> {
            synchronized (this) {
                if (done) {
                    return;
                }
                List<ChainUpstream> free = limited.stream().filter(u -> u.health().retryAfterNanos() == 0).toList();
                if (!free.isEmpty()) {
                    send(free);
                } else if (!waitForRetryAfter()) {
                    finishNoneAccepted();
                }
            }
        }, Math.max(wait, 1_000_000L), TimeUnit.NANOSECONDS);
        return true;
    }

    private void finishNoneAccepted() {
        finish(Attempts.error(OutlastError.ALL_UPSTREAMS_FAILED, "No upstream accepted the transaction",
                ctx.chain().id(), failures, List.of()));
    }

    /** A rejection saying the nonce is already used: perhaps by this very transaction. */
    static boolean nonceUsed(UpstreamReply reply) {
        return NonceErrors.nonceUsed(reply.error());
    }

    /**
     * Every upstream rejected the transaction, some because its nonce is taken. When an upstream
     * failed after forwarding (a 5xx from an edge, a reset), the transaction may have been
     * accepted and spread, and those rejections are the echo of its own success. Ask for it by
     * hash: if any upstream knows it, the broadcast succeeded. A node may reject the transaction
     * as a nonce clash while it is still moving from its pool into a block, and answer a lookup
     * with nothing in that moment, so the lookup is repeated {@value #LOOKUP_ROUNDS} times,
     * {@link #LOOKUP_SPACING} apart, within the deadline; only then does the rejection stand.
     */
    private void confirmByHash(int round) {
        com.fasterxml.jackson.databind.node.ArrayNode params = Attempts.emptyArray().add(txHash);
        List<CompletableFuture<UpstreamReply>> lookups = new java.util.ArrayList<>();
        for (ChainUpstream target : ctx.chain().upstreams()) {
            if (!target.health().isAvailableAsFallback()) {
                continue;
            }
            lookups.add(target.upstream().call("eth_getTransactionByHash", params,
                    Duration.ofNanos(Math.max(1, ctx.remainingNanos()))));
        }
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenRun(() -> {
            synchronized (this) {
                if (done) {
                    return;
                }
                for (CompletableFuture<UpstreamReply> lookup : lookups) {
                    UpstreamReply found = lookup.join();
                    if (found.result() != null && found.result().isObject()) {
                        finish(new RpcOutcome(RpcResponse.result(TextNode.valueOf(txHash)),
                                List.of(found.upstream()), null, "ok"));
                        return;
                    }
                }
                if (round < LOOKUP_ROUNDS && ctx.remainingNanos() > 2 * LOOKUP_SPACING.toNanos()) {
                    ctx.chain().scheduler().schedule(() -> confirmByHash(round + 1), LOOKUP_SPACING.toNanos(),
                            TimeUnit.NANOSECONDS);
                    return;
                }
                UpstreamReply first = rejections.get(0);
                log.info("chain {}: transaction {} refused by every upstream ({}) and unknown to all of them",
                        ctx.chain().id(), txHash, first.error().path("message").asText());
                finish(Attempts.answer(first, List.of(first.upstream()), null));
            }
        });
    }

    private synchronized void onDeadline() {
        if (done) {
            return;
        }
        List<UpstreamReply> all = new ArrayList<>(failures);
        all.addAll(rejections);
        finish(Attempts.error(OutlastError.DEADLINE_EXCEEDED, "No upstream accepted the transaction in time",
                ctx.chain().id(), all, List.of()));
    }

    private void finish(RpcOutcome outcome) {
        done = true;
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        result.complete(outcome);
    }
}
