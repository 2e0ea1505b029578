package dev.outlast.routing.head;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlast.health.HealthView;
import dev.outlast.routing.ChainContext;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.rpc.Quantity;
import dev.outlast.upstream.UpstreamReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * The hashes of the blocks the served head has stood on, and the check that lets one upstream move
 * the served head past what the others have reported: its blocks above the served head must link,
 * parent hash to hash, down to the served head's block.
 *
 * <h2>Implementation note</h2>
 * A step fetches the leader's headers, in parallel, from the block above the highest block at or
 * below the served head whose hash is known (at most {@value #MAX_STEP} below it, so a served head
 * that agreement moved past the last recorded block needs no new witness) up to {@value #MAX_STEP}
 * blocks above the served head, and checks each one's {@code parentHash} against the hash of the
 * block below. A known hash is one a previous step recorded, else the one the chain's block watch
 * read (with the cache on); with neither (at start, or after a known hash failed to link, which is
 * what a reorg at the tip looks like), another honest upstream that has the served head's block (a
 * witness) is asked for its hash. A known hash that does not link is dropped and the next step asks
 * a witness. A leader whose blocks do not link to a witness's is on another chain, and one that
 * answers "no such block" for a block up to the head it reported claims a head it does not have:
 * either moves nothing until it reports another head. One step runs at a time per chain; failed
 * calls (timeouts, errors) just end the step.
 *
 * <p>Thread-safe.
 */
final class HeadLinks {

    /** Blocks one step proves at most; a leader further ahead is followed step by step. */
    static final int MAX_STEP = 16;
    /** Block hashes kept below the newest recorded one. */
    static final int KEEP = 128;

    /** How a step ended. */
    enum Result {
        /** The blocks up to the step's end link to the served head's block. */
        LINKED,
        /**
         * The leader's blocks do not link to the block a witness gave (it is on another chain), or it
         * has no block at a height up to the head it reported.
         */
        UNLINKED,
        /** A call failed or nothing could be compared; nothing learnt. */
        FAILED,
        /** Another step was running. */
        BUSY
    }

    private final ChainContext chain;
    private final ConcurrentSkipListMap<Long, String> hashes = new ConcurrentSkipListMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    /** The hash the chain's block watch read for a block, or null (no watch without a cache). */
    private volatile LongFunction<String> watched = n -> null;
    /** A block whose watched hash did not link: its base is asked of a witness instead. */
    private volatile long distrusted = -1;

    HeadLinks(ChainContext chain) {
        this.chain = chain;
    }

    /** Takes the served head's base hash, when this has none recorded, from the chain's block watch. */
    void watch(LongFunction<String> hashes) {
        watched = hashes;
    }

    /**
     * Checks {@code leader}'s blocks {@code base + 1 ..} up to {@code head} (at most {@link #MAX_STEP}
     * of them) against block {@code base}; {@code witnesses} may be asked for {@code base}'s hash.
     * Completes with the result and the highest block proven (only meaningful for {@link Result#LINKED}).
     */
    CompletableFuture<Step> step(ChainUpstream leader, long base, long head, List<ChainUpstream> witnesses) {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(new Step(Result.BUSY, base));
        }
        long top = Math.min(head, base + MAX_STEP);
        CompletableFuture<Step> step;
        try {
            step = run(leader, base, top, witnesses);
        } catch (RuntimeException e) {
            step = CompletableFuture.failedFuture(e);
        }
        return step.handle((s, error) -> {
            running.set(false);
            return error != null ? new Step(Result.FAILED, base) : s;
        });
    }

    /** How one step ended, and the highest block it proved. */
    record Step(Result result, long provedTo) {
    }

    private CompletableFuture<Step> run(ChainUpstream leader, long base, long top, List<ChainUpstream> witnesses) {
        // the highest block at or below the served head whose hash is known: recorded, else watched
        long from = base;
        String recorded = null;
        String seen = null;
        for (long b = base; b >= Math.max(0, base - MAX_STEP) && recorded == null && seen == null; b--) {
            from = b;
            recorded = hashes.get(b);
            seen = recorded == null && b != distrusted ? watched.apply(b) : null;
        }
        if (recorded == null && seen == null) {
            from = base;
        }
        long start = from;
        String wasRecorded = recorded;
        String wasSeen = seen;
        List<CompletableFuture<JsonNode>> headers = new ArrayList<>();
        for (long n = start + 1; n <= top; n++) {
            headers.add(header(leader, n));
        }
        CompletableFuture<String> baseHash = recorded != null ? CompletableFuture.completedFuture(recorded)
                : seen != null ? CompletableFuture.completedFuture(seen) : witnessHash(start, leader, witnesses);
        return CompletableFuture.allOf(headers.toArray(CompletableFuture[]::new)).thenCombine(baseHash, (x, known) -> {
            if (known == null) {
                return new Step(Result.FAILED, base);
            }
            String below = known;
            List<String> linked = new ArrayList<>();
            for (int i = 0; i < headers.size(); i++) {
                JsonNode h = headers.get(i).join();
                if (h == null || h == MISSING) {
                    return !linked.isEmpty() ? record(start, known, linked)
                            : new Step(h == MISSING ? Result.UNLINKED : Result.FAILED, base);
                }
                if (!below.equals(h.path("parentHash").asText(""))) {
                    if (!linked.isEmpty()) {
                        return record(start, known, linked);
                    }
                    if (wasRecorded != null) {
                        // The recorded base may be a block a reorg replaced: the next step asks a witness.
                        hashes.tailMap(start, true).clear();
                        return new Step(Result.FAILED, base);
                    }
                    if (wasSeen != null) {
                        // the block watch's hash may be one a reorg replaced too: a witness decides
                        distrusted = start;
                        return new Step(Result.FAILED, base);
                    }
                    return new Step(Result.UNLINKED, base);
                }
                below = h.path("hash").asText("");
                linked.add(below);
            }
            return linked.isEmpty() ? new Step(Result.FAILED, base) : record(start, known, linked);
        });
    }

    private Step record(long base, String baseHash, List<String> linked) {
        hashes.put(base, baseHash);
        for (int i = 0; i < linked.size(); i++) {
            hashes.put(base + 1 + i, linked.get(i));
        }
        long top = base + linked.size();
        hashes.headMap(top - KEEP).clear();
        return new Step(Result.LINKED, top);
    }

    /** Honest upstreams other than {@code leader} reported to have {@code block}, usable ones first. */
    List<ChainUpstream> witnesses(ChainUpstream leader, long block, long now) {
        List<ChainUpstream> usable = new ArrayList<>();
        List<ChainUpstream> others = new ArrayList<>();
        for (ChainUpstream u : chain.upstreams()) {
            HealthView h = u.health().current();
            if (u != leader && h.node().head() >= block && h.node().isHonestAndVerified(now)) {
                (h.isUsable(now) ? usable : others).add(u);
            }
        }
        usable.addAll(others);
        return usable;
    }

    /** The hash of block {@code n} from the first witness (not {@code leader}) that gives one; null if none does. */
    private CompletableFuture<String> witnessHash(long n, ChainUpstream leader, List<ChainUpstream> witnesses) {
        CompletableFuture<String> hash = CompletableFuture.completedFuture(null);
        for (ChainUpstream w : witnesses) {
            if (w == leader) {
                continue;
            }
            hash = hash.thenCompose(found -> found != null ? CompletableFuture.completedFuture(found)
                    : header(w, n).thenApply(h -> h == null || h == MISSING ? null : h.path("hash").asText(null)));
        }
        return hash;
    }

    /** What {@link #header} gives for an upstream that answered without block {@code n}. */
    private static final JsonNode MISSING = JsonNodeFactory.instance.missingNode();

    /**
     * Block {@code n}'s header from {@code u}, checked to be block {@code n} with a hash; {@link #MISSING}
     * when {@code u} answered without it, null when the call failed.
     */
    private CompletableFuture<JsonNode> header(ChainUpstream u, long n) {
        u.health().budget().takeAnyway();
        Duration timeout = chain.config().headPollInterval().multipliedBy(4);
        Duration bounded = timeout.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                : timeout.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : timeout;
        return u.upstream().call("eth_getBlockByNumber",
                JsonNodeFactory.instance.arrayNode().add(Quantity.format(n)).add(false), bounded).thenApply(reply -> {
            chain.record(u, "eth_getBlockByNumber", reply);
            return headerOf(reply, n);
        });
    }

    private static JsonNode headerOf(UpstreamReply reply, long n) {
        if (!reply.isAnswer() || reply.error() != null) {
            return null;
        }
        JsonNode h = reply.result();
        if (h == null || !h.isObject() || h.path("hash").asText("").isEmpty()
                || Quantity.parse(h.path("number").asText("")).orElse(-1L) != n) {
            return MISSING;
        }
        return h;
    }
}
