package dev.outlast.subscription;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One chain's pending transactions, as its upstreams announce them: each hash is passed to the
 * listeners ({@code newPendingTransactions} subscriptions) once, however many upstreams announce it.
 *
 * <p>A mempool has no order and no history, so unlike {@link BlockFeed} this feed promises no
 * completeness: a transaction that no upstream announced while the feed listened is not delivered.
 * It promises no duplicates within the last {@value #REMEMBERED} hashes. Upstreams are asked for
 * pending transactions only while someone listens: {@code wanted} is told when the first listener
 * comes and when the last one goes.
 *
 * <p>Thread-safe.
 */
public final class PendingFeed {

    /** Hashes remembered to drop a second announcement of one transaction. */
    static final int REMEMBERED = 16_384;

    /** Told each new pending transaction once, as its hash written as a JSON string (UTF-8). */
    public interface Listener {
        void onPending(byte[] hashJson);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<Boolean> wanted;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final AtomicLong delivered = new AtomicLong();

    /** @param wanted told {@code true} when the first listener comes, {@code false} when the last one goes */
    public PendingFeed(Consumer<Boolean> wanted) {
        this.wanted = wanted;
    }

    public void add(Listener listener) {
        boolean first;
        synchronized (listeners) {
            first = listeners.isEmpty();
            listeners.add(listener);
        }
        if (first) {
            wanted.accept(true);
        }
    }

    public void remove(Listener listener) {
        boolean last;
        synchronized (listeners) {
            last = listeners.remove(listener) && listeners.isEmpty();
        }
        if (last) {
            wanted.accept(false);
        }
    }

    /** Whether anyone listens. */
    public boolean isWanted() {
        return !listeners.isEmpty();
    }

    /** Distinct pending transactions passed to listeners. */
    public long delivered() {
        return delivered.get();
    }

    /** An upstream announced {@code hash} (a 0x-prefixed 32-byte hex string); others are ignored. */
    public void offer(String hash) {
        if (listeners.isEmpty() || !isHash(hash)) {
            return;
        }
        String key = hash.toLowerCase(java.util.Locale.ROOT);
        synchronized (seen) {
            if (seen.put(key, Boolean.TRUE) != null) {
                return;
            }
        }
        delivered.incrementAndGet();
        byte[] json = ('"' + key + '"').getBytes(StandardCharsets.US_ASCII);
        for (Listener l : listeners) {
            l.onPending(json);
        }
    }

    private static boolean isHash(String text) {
        if (text == null || text.length() != 66 || !text.startsWith("0x")) {
            return false;
        }
        for (int i = 2; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
