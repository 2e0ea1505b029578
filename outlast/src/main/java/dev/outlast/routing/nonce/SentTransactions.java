package dev.outlast.routing.nonce;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.outlast.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The transactions Outlast broadcast on one chain that an upstream accepted, by sender and nonce:
 * what raises a sender's pending nonce, and what a re-sent transaction is answered from.
 *
 * <h2>Implementation note</h2>
 * A sender has at most one entry per nonce: the last transaction accepted with it. An entry is
 * <em>mined</em> from the first latest nonce read above its nonce, at the block of that read. A
 * latest nonce at or below the nonce of an entry seen mined, read at that block or a later one,
 * means a reorg took the transaction out: the entry is dropped rather than counted as pending again
 * (a transaction not re-mined is not assumed to be back in the pools; an upstream's pending answer
 * says so if it is). So are the entries seen mined at or above a block a reorg replaced
 * ({@link #replaced}). Bounds: an entry is kept {@link #KEEP} after its last broadcast; a sender
 * keeps at most {@link #MAX_PER_SENDER} entries (the highest nonces are dropped first, since only
 * a run from the latest nonce counts); at most {@link #MAX_SENDERS} senders are kept, the least
 * recently used dropped first. Time is the chain's {@link Ticker}.
 *
 * <p>Thread-safe: senders live in a Caffeine cache; each sender's entries are changed and read
 * under that sender's lock. Nothing here blocks on I/O.
 */
public final class SentTransactions {

    /** How long an entry is kept after its last broadcast. */
    public static final Duration KEEP = Duration.ofMinutes(2);
    /** Re-sent within this time of its last broadcast, an accepted transaction is not broadcast again. */
    public static final Duration RESEND_QUIET = Duration.ofSeconds(12);
    public static final int MAX_PER_SENDER = 64;
    public static final int MAX_SENDERS = 10_000;

    /** An accepted transaction as a re-send of it is answered: its hash, who accepted it, whether it was seen mined. */
    public record Accepted(String hash, List<String> upstreams, boolean mined) {
    }

    private static final class Entry {
        final String hash;
        final Set<String> acceptedBy = new LinkedHashSet<>();
        long lastSent;
        long minedAt = -1;

        Entry(String hash, long now) {
            this.hash = hash;
            this.lastSent = now;
        }
    }

    private static final class Sender {
        final TreeMap<Long, Entry> byNonce = new TreeMap<>();
    }

    private final Ticker ticker;
    private final Cache<String, Sender> senders;

    public SentTransactions(Ticker ticker) {
        this.ticker = ticker;
        this.senders = Caffeine.newBuilder().maximumSize(MAX_SENDERS).expireAfterAccess(KEEP)
                .ticker(ticker::nanos).executor(Runnable::run).build();
    }

    /** Records that {@code upstreams} accepted {@code tx} (it replaces another transaction with its nonce). */
    public void accepted(SignedTx tx, List<String> upstreams) {
        long now = ticker.nanos();
        Sender sender = senders.get(tx.sender(), s -> new Sender());
        synchronized (sender) {
            prune(sender, now);
            Entry entry = sender.byNonce.get(tx.nonce());
            if (entry == null || !entry.hash.equals(tx.hash())) {
                entry = new Entry(tx.hash(), now);
                sender.byNonce.put(tx.nonce(), entry);
            }
            entry.lastSent = now;
            entry.acceptedBy.addAll(upstreams);
            while (sender.byNonce.size() > MAX_PER_SENDER) {
                sender.byNonce.pollLastEntry();
            }
        }
    }

    /**
     * {@code tx} as it was accepted, when a re-send of it needs no broadcast: it was seen mined, or
     * its last broadcast was within {@link #RESEND_QUIET}.
     */
    public Optional<Accepted> resend(SignedTx tx) {
        return withEntry(tx, (entry, now) -> entry.minedAt >= 0 || now - entry.lastSent < RESEND_QUIET.toNanos()
                ? new Accepted(entry.hash, List.copyOf(entry.acceptedBy), entry.minedAt >= 0) : null);
    }

    /** True when Outlast broadcast {@code tx} itself and an upstream accepted it (within {@link #KEEP}). */
    public boolean wasAccepted(SignedTx tx) {
        return withEntry(tx, (entry, now) -> Boolean.TRUE).isPresent();
    }

    /** What {@code read} makes of {@code tx}'s entry (under its sender's lock); empty without one. */
    private <T> Optional<T> withEntry(SignedTx tx, java.util.function.BiFunction<Entry, Long, T> read) {
        Sender sender = senders.getIfPresent(tx.sender());
        if (sender == null) {
            return Optional.empty();
        }
        synchronized (sender) {
            long now = ticker.nanos();
            prune(sender, now);
            Entry entry = sender.byNonce.get(tx.nonce());
            return entry != null && entry.hash.equals(tx.hash()) ? Optional.ofNullable(read.apply(entry, now))
                    : Optional.empty();
        }
    }

    /**
     * Takes in that {@code sender}'s latest nonce at {@code block} is {@code latest}, and answers how
     * many accepted transactions continue it without a gap: those with nonces {@code latest},
     * {@code latest + 1}, … Entries below {@code latest} are seen mined; entries a reorg took out
     * are dropped (see the implementation note).
     */
    public int unmined(String sender, long latest, long block) {
        Sender s = senders.getIfPresent(sender);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            prune(s, ticker.nanos());
            List<Long> reorged = new ArrayList<>();
            for (var e : s.byNonce.entrySet()) {
                Entry entry = e.getValue();
                if (e.getKey() < latest) {
                    if (entry.minedAt < 0) {
                        entry.minedAt = block;
                    }
                } else if (entry.minedAt >= 0 && block >= entry.minedAt) {
                    reorged.add(e.getKey());
                }
            }
            reorged.forEach(s.byNonce::remove);
            int run = 0;
            while (s.byNonce.containsKey(latest + run)) {
                run++;
            }
            return run;
        }
    }

    /** Drops every entry seen mined at {@code block} or above: a reorg replaced those blocks. */
    public void replaced(long block) {
        for (Sender s : senders.asMap().values()) {
            synchronized (s) {
                s.byNonce.values().removeIf(e -> e.minedAt >= block);
            }
        }
    }

    private void prune(Sender sender, long now) {
        sender.byNonce.values().removeIf(e -> now - e.lastSent >= KEEP.toNanos());
    }
}
