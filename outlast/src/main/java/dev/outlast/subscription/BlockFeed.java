package dev.outlast.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.rpc.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain's canonical blocks, delivered to its listeners once each, in order, with their logs:
 * what {@code newHeads} and {@code logs} subscriptions are made of.
 *
 * <h2>Implementation note</h2>
 * The feed follows the chain's served head, not any one upstream's socket, so a provider failing
 * cannot open a gap: each round reads, through the chain's routing (failover, every upstream),
 * every block from the last one delivered up to the served head ({@value #MAX_PER_ROUND} at most
 * per round, the rest in the next), and its logs by block hash, and delivers a block only once both
 * are read. A block whose hash differs from the one the chain's reorg watch read for its height comes
 * from an upstream on another fork (or the watch has not seen a reorg yet): it is not delivered, and
 * the round ends to try again. A block
 * whose parent is not the last one delivered means a reorg: the feed reads down until a block it
 * delivered is still canonical (at most {@value #KEEP} blocks deep), tells its listeners each replaced
 * block, newest first ({@link Listener#onRemoved}), then delivers the replacements in order.
 * Without listeners it reads nothing; the first one starts it at the served head, so the first
 * block it gets is the next one, as with geth. A round is started by {@link #poke()} (the chain calls
 * it when its served head moves); one runs at a time, and a poke during a round starts another.
 *
 * <p>Thread-safe.
 */
public final class BlockFeed {

    private static final Logger log = LoggerFactory.getLogger(BlockFeed.class);

    /** Blocks read per round at most. */
    static final int MAX_PER_ROUND = 32;
    /** Delivered blocks kept for reorgs. */
    static final int KEEP = 64;

    /** Told each block of the chain once, in order. Called from one round at a time. */
    public interface Listener {

        void onBlock(Block block);

        /** {@code block}, delivered before, was replaced by a reorg. */
        void onRemoved(Block block);

        /** The contracts whose logs this listener wants: null for none, empty for every contract. */
        Set<String> logAddresses();
    }

    private final String chain;
    private final FeedSource source;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentSkipListMap<Long, Block> delivered = new ConcurrentSkipListMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong backfilled = new AtomicLong();
    private final AtomicLong reorgs = new AtomicLong();
    private volatile long cursor = -1;

    public BlockFeed(String chain, FeedSource source) {
        this.chain = chain;
        this.source = source;
    }

    public void add(Listener listener) {
        synchronized (listeners) {
            if (listeners.isEmpty()) {
                cursor = source.servedHead();
                delivered.clear();
            }
            listeners.add(listener);
        }
    }

    public void remove(Listener listener) {
        listeners.remove(listener);
    }

    /** Blocks delivered more than one behind the served head when their round started. */
    public long backfilled() {
        return backfilled.get();
    }

    public long reorgs() {
        return reorgs.get();
    }

    /** Starts a round now, or right after the one running. */
    public void poke() {
        if (listeners.isEmpty()) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        CompletableFuture<Void> round;
        try {
            round = round();
        } catch (RuntimeException e) {
            round = CompletableFuture.failedFuture(e);
        }
        round.whenComplete((x, error) -> {
            if (error != null) {
                log.warn("chain {}: block feed round failed", chain, error);
            }
            running.set(false);
            if (again.getAndSet(false) || (error == null && cursor >= 0 && cursor < source.servedHead())) {
                poke();
            }
        });
    }

    private CompletableFuture<Void> round() {
        long head = source.servedHead();
        if (cursor < 0) {
            cursor = head;
            return CompletableFuture.completedFuture(null);
        }
        if (head <= cursor) {
            return CompletableFuture.completedFuture(null);
        }
        long to = Math.min(head, cursor + MAX_PER_ROUND);
        return next(cursor + 1, to, head - cursor > 1);
    }

    /** Delivers blocks {@code n..to}; stops at the first that cannot be read. */
    private CompletableFuture<Void> next(long n, long to, boolean behind) {
        return fetch(n).thenCompose(block -> {
            if (block == null) {
                return CompletableFuture.completedFuture(null);
            }
            Block previous = delivered.get(n - 1);
            if (previous != null && !previous.hash().equals(block.parentHash())) {
                return reorg(block).thenCompose(x -> n < to && cursor == n ? next(n + 1, to, behind)
                        : CompletableFuture.<Void>completedFuture(null));
            }
            deliver(block, behind);
            return n < to ? next(n + 1, to, behind) : CompletableFuture.completedFuture(null);
        });
    }

    /**
     * {@code tip}'s parent is not the block delivered below it: reads down to a delivered block still
     * canonical, removes the replaced ones, delivers the replacements and then {@code tip}.
     */
    private CompletableFuture<Void> reorg(Block tip) {
        List<Block> replacements = new ArrayList<>();
        replacements.add(tip);
        return walkDown(tip, replacements).thenAccept(forkPoint -> {
            if (forkPoint == null) {
                return;
            }
            reorgs.incrementAndGet();
            List<Block> removed = new ArrayList<>(delivered.tailMap(forkPoint, false).descendingMap().values());
            log.info("chain {}: reorg replaced {} delivered block(s) from {}", chain, removed.size(), forkPoint + 1);
            for (Block old : removed) {
                delivered.remove(old.number());
                for (Listener l : listeners) {
                    safely(() -> l.onRemoved(old));
                }
            }
            for (int i = replacements.size() - 1; i >= 0; i--) {
                deliver(replacements.get(i), true);
            }
        });
    }

    /**
     * Reads the blocks below the lowest of {@code replacements} until one's parent is a delivered
     * block; completes with that block's number (the fork point), or null if a read failed.
     */
    private CompletableFuture<Long> walkDown(Block lowest, List<Block> replacements) {
        long below = lowest.number() - 1;
        Block known = delivered.get(below);
        if (known == null || known.hash().equals(lowest.parentHash())) {
            return CompletableFuture.completedFuture(below);
        }
        return fetch(below).thenCompose(block -> {
            if (block == null) {
                return CompletableFuture.completedFuture(null);
            }
            replacements.add(block);
            return walkDown(block, replacements);
        });
    }

    private void deliver(Block block, boolean behind) {
        delivered.put(block.number(), block);
        delivered.headMap(block.number() - KEEP).clear();
        cursor = block.number();
        if (behind) {
            backfilled.incrementAndGet();
        }
        for (Listener l : listeners) {
            safely(() -> l.onBlock(block));
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("chain {}: a block feed listener failed", chain, e);
        }
    }

    /** Block {@code n} with its logs, or null when either could not be read or it is not the served chain's. */
    private CompletableFuture<Block> fetch(long n) {
        return source.block(n).thenCompose(header -> {
            Block block = header == null ? null : parse(n, header);
            if (block == null) {
                return CompletableFuture.completedFuture(null);
            }
            String canonical = source.canonicalHash(n);
            if (canonical != null && !canonical.equals(block.hash())) {
                log.debug("chain {}: block {} read as {} but the served chain has {}", chain, n, block.hash(),
                        canonical);
                return CompletableFuture.completedFuture(null);
            }
            Set<String> addresses = logAddresses();
            if (addresses == null) {
                return CompletableFuture.completedFuture(block);
            }
            return source.logs(block.hash(), addresses.isEmpty() ? null : addresses).thenApply(logs -> {
                if (logs == null || !logs.isArray()) {
                    return null;
                }
                List<JsonNode> list = new ArrayList<>(logs.size());
                logs.forEach(list::add);
                return block.withLogs(list);
            });
        });
    }

    /** The union of the listeners' contracts: null when none wants logs, empty when one wants every contract. */
    private Set<String> logAddresses() {
        Set<String> union = null;
        for (Listener l : listeners) {
            Set<String> wanted = l.logAddresses();
            if (wanted == null) {
                continue;
            }
            if (wanted.isEmpty()) {
                return Set.of();
            }
            if (union == null) {
                union = new HashSet<>();
            }
            union.addAll(wanted);
        }
        return union;
    }

    private static Block parse(long n, JsonNode header) {
        if (!header.isObject() || Quantity.parse(header.path("number").asText("")).orElse(-1L) != n) {
            return null;
        }
        String hash = header.path("hash").asText("");
        String parent = header.path("parentHash").asText("");
        return hash.isEmpty() || parent.isEmpty() ? null : Block.of(n, hash, parent, header);
    }
}
