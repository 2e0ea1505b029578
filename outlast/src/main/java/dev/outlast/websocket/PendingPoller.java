package dev.outlast.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.subscription.PendingFeed;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pending transactions of an upstream without a {@code ws:} URL, by polling: while the chain's
 * {@link PendingFeed} has listeners, a filter made with {@code eth_newPendingTransactionFilter} is
 * read with {@code eth_getFilterChanges} every head poll interval. A filter the upstream forgot
 * (restarted, expired, or a call that failed) is made again at the next poll; when the last
 * listener goes, it is removed with {@code eth_uninstallFilter}. An upstream that refuses filters
 * is asked again after 5 minutes.
 *
 * <p>Thread-safe.
 */
final class PendingPoller implements AutoCloseable {

    private static final Duration REFUSED_PAUSE = Duration.ofMinutes(5);

    private final ChainUpstream upstream;
    private final PendingFeed pending;
    private final Duration timeout;
    private final ScheduledFuture<?> task;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile String filter;
    private volatile boolean wanted;
    /** Until when (System.nanoTime) filters are not asked for, after a refusal. */
    private volatile long refusedUntil = System.nanoTime();

    PendingPoller(ChainUpstream upstream, PendingFeed pending, Duration every, ScheduledExecutorService timers) {
        this.upstream = upstream;
        this.pending = pending;
        this.timeout = every.multipliedBy(4).compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                : every.multipliedBy(4);
        this.task = timers.scheduleWithFixedDelay(this::poll, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The chain's pending feed gained its first listener ({@code true}) or lost its last one. */
    void pendingWanted(boolean now) {
        wanted = now;
        String old = filter;
        if (!now && old != null) {
            filter = null;
            call("eth_uninstallFilter", JsonNodeFactory.instance.arrayNode().add(old));
        }
    }

    private void poll() {
        if (!wanted || System.nanoTime() - refusedUntil < 0 || !inFlight.compareAndSet(false, true)) {
            return;
        }
        String current = filter;
        if (current == null) {
            call("eth_newPendingTransactionFilter", JsonNodeFactory.instance.arrayNode()).whenComplete((reply, e) -> {
                inFlight.set(false);
                if (reply != null && reply.isAnswer() && reply.error() == null && reply.result() != null
                        && reply.result().isTextual()) {
                    filter = reply.result().textValue();
                } else if (reply != null && reply.error() != null) {
                    refusedUntil = System.nanoTime() + REFUSED_PAUSE.toNanos();
                }
            });
            return;
        }
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(current);
        call("eth_getFilterChanges", params).whenComplete((reply, e) -> {
            inFlight.set(false);
            JsonNode hashes = reply == null || !reply.isAnswer() ? null : reply.result();
            if (hashes == null || !hashes.isArray() || reply.error() != null) {
                filter = null;
                return;
            }
            if (upstream.health().isHonestAndVerified()) {
                hashes.forEach(hash -> pending.offer(hash.asText(null)));
            }
        });
    }

    private java.util.concurrent.CompletableFuture<UpstreamReply> call(String method, ArrayNode params) {
        upstream.health().budget().takeAnyway();
        return upstream.upstream().call(method, params, timeout);
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
