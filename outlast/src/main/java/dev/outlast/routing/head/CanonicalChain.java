package dev.outlast.routing.head;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.cache.Finality;
import dev.outlast.cache.ResponseCache;
import dev.outlast.routing.ChainContext;
import dev.outlast.routing.RpcOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain's recent canonical blocks, for the cache: which hash each block above the final one
 * has, and when a reorg replaced some of them.
 *
 * <h2>Implementation note</h2>
 * Every head poll interval it fetches, through the chain's normal failover routing, each new block
 * up to the served head, or the served head again (a block can be replaced at the same height),
 * and at start fills in the blocks down to the final one a few per round.
 * A block whose hash changed, or whose parent hash is not the hash recorded for the block below,
 * means a reorg: it walks down, fetching again, until a block's parent matches (at most the reorg
 * horizon), then evicts every cached answer from the lowest replaced block up. The final block is
 * the lower of the upstreams' agreed {@code finalized} block and {@code head - reorgHorizon}, so a
 * chain whose {@code finalized} tag means nothing (a dev node reports its head) is still watched
 * {@code reorgHorizon} blocks deep. Between a reorg and its detection (one poll interval) an
 * answer of a replaced block can still be served, as it would be by the upstreams that have not
 * yet seen the reorg.
 *
 * <p>Thread-safe; one round runs at a time.
 */
public final class CanonicalChain implements Finality {

    private static final Logger log = LoggerFactory.getLogger(CanonicalChain.class);
    /** New blocks fetched per round at most: a watcher that fell behind catches up on the newest. */
    static final int MAX_FETCHES_PER_ROUND = 16;

    private record Block(String hash, String parent) {
    }

    private final ChainContext chain;
    private final HeadTracker heads;
    private final ResponseCache cache;
    private final long horizon;
    private final LongFunction<CompletableFuture<RpcOutcome>> fetchBlock;
    private final LongConsumer replaced;
    private final ConcurrentSkipListMap<Long, Block> blocks = new ConcurrentSkipListMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong finalBlock = new AtomicLong(-1);
    private ScheduledFuture<?> task;

    /**
     * @param horizon    blocks behind the head after which a block counts as final (with the
     *                   upstreams' {@code finalized} block, whichever is lower)
     * @param fetchBlock reads one block by number ({@code eth_getBlockByNumber}, without the
     *                   transactions) through the chain's routing, past the cache
     * @param replaced   told the lowest block a reorg replaced, after the cache has dropped its answers
     */
    public CanonicalChain(ChainContext chain, HeadTracker heads, ResponseCache cache, long horizon,
                          LongFunction<CompletableFuture<RpcOutcome>> fetchBlock, LongConsumer replaced) {
        this.chain = chain;
        this.heads = heads;
        this.cache = cache;
        this.horizon = horizon;
        this.fetchBlock = fetchBlock;
        this.replaced = replaced;
    }

    /** Starts the watch: a round every {@code headPollInterval}. */
    public void start() {
        long interval = chain.config().headPollInterval().toNanos();
        task = chain.scheduler().scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.NANOSECONDS);
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public long finalBlock() {
        return finalBlock.get();
    }

    @Override
    public String hashAt(long block) {
        Block b = blocks.get(block);
        return b == null ? null : b.hash();
    }

    /** One round; never throws, since an exception would cancel every later round. */
    void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            round().whenComplete((x, error) -> {
                if (error != null) {
                    log.debug("chain {}: block watch round failed", chain.id(), error);
                }
                running.set(false);
            });
        } catch (RuntimeException e) {
            running.set(false);
            log.error("chain {}: block watch round failed", chain.id(), e);
        }
    }

    /** Runs one round to completion; for tests and the first round. */
    CompletableFuture<Void> round() {
        long head = heads.servedHead();
        if (head < 0) {
            return CompletableFuture.completedFuture(null);
        }
        long byDepth = head - horizon;
        long tagged = heads.finalizedHead();
        long fin = tagged >= 0 ? Math.min(tagged, byDepth) : byDepth;
        long settled = finalBlock.accumulateAndGet(fin, Math::max);
        blocks.headMap(settled, true).clear();
        cache.forgetBelow(chain.id(), settled);

        long[] replacedFrom = {Long.MAX_VALUE};
        CompletableFuture<Void> steps = CompletableFuture.completedFuture(null);
        for (long n : heightsToFetch(head, settled)) {
            steps = steps.thenCompose(x -> check(n, replacedFrom));
        }
        return steps.thenRun(() -> {
            if (replacedFrom[0] != Long.MAX_VALUE) {
                long depth = head - replacedFrom[0] + 1;
                int evicted = cache.evictFrom(chain.id(), replacedFrom[0]);
                replaced.accept(replacedFrom[0]);
                log.warn("chain {}: reorg replaced blocks {}..{} (depth {}); evicted {} cached answers",
                        chain.id(), replacedFrom[0], head, depth, evicted);
                chain.listener().onReorg(chain.id(), replacedFrom[0], depth);
            }
        });
    }

    /**
     * The blocks one round fetches, in ascending order: blocks above the highest known one (the
     * newest {@value #MAX_FETCHES_PER_ROUND} at most), else the head again; and, while the blocks
     * down to the final one are not all known, a few below the lowest known one, ending with that
     * one again so the junction is checked.
     */
    private java.util.List<Long> heightsToFetch(long head, long settled) {
        java.util.List<Long> heights = new java.util.ArrayList<>();
        long low = settled + 1;
        if (blocks.isEmpty()) {
            for (long n = Math.max(low, head - MAX_FETCHES_PER_ROUND + 1); n <= head; n++) {
                heights.add(n);
            }
            return heights;
        }
        long first = blocks.firstKey();
        if (first > low) {
            for (long n = Math.max(low, first - MAX_FETCHES_PER_ROUND / 2); n <= first; n++) {
                heights.add(n);
            }
        }
        long last = blocks.lastKey();
        if (last >= head) {
            heights.add(head);
        } else {
            for (long n = Math.max(last + 1, head - MAX_FETCHES_PER_ROUND + 1); n <= head; n++) {
                heights.add(n);
            }
        }
        return heights;
    }

    /**
     * Fetches block {@code n}, records its hash, and walks down while the block below it is not its
     * parent.
     */
    private CompletableFuture<Void> check(long n, long[] replacedFrom) {
        if (n <= finalBlock.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return fetchBlock.apply(n).thenCompose(outcome -> {
            JsonNode result = outcome.response().isError() ? null : outcome.response().result();
            Block known = blocks.get(n);
            if (result == null || !result.isObject()) {
                if (outcome.response().isError() || known == null) {
                    return CompletableFuture.completedFuture(null);
                }
                // The block we knew at this height is gone and none replaced it yet.
                blocks.remove(n);
                replacedFrom[0] = Math.min(replacedFrom[0], n);
                return check(n - 1, replacedFrom);
            }
            Block fetched = new Block(result.path("hash").asText(""), result.path("parentHash").asText(""));
            if (fetched.hash().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            blocks.put(n, fetched);
            if (known != null && !known.hash().equals(fetched.hash())) {
                replacedFrom[0] = Math.min(replacedFrom[0], n);
            }
            Block below = blocks.get(n - 1);
            if (below != null && !below.hash().equals(fetched.parent())) {
                return check(n - 1, replacedFrom);
            }
            return CompletableFuture.completedFuture(null);
        });
    }
}
