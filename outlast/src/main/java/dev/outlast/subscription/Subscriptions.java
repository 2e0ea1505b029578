package dev.outlast.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The subscriptions of one client connection on one chain, fed by the chain's {@link BlockFeed}
 * and {@link PendingFeed}: each {@code newHeads} subscription gets every block's header, each
 * {@code logs} subscription every log matching its filter, and, after a reorg, the logs of the
 * replaced blocks again with {@code removed: true} (only those of blocks delivered after it was
 * made), each {@code newPendingTransactions} subscription the hash of each pending transaction
 * the upstreams announce. Notifications are
 * geth's: {@code {"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":ID,"result":...}}}.
 *
 * <p>Thread-safe: the client's frames and the feed's rounds call it from different threads.
 */
public final class Subscriptions implements BlockFeed.Listener, PendingFeed.Listener {

    /** A subscription type, by its name in {@code eth_subscribe}. */
    public enum Type {
        NEW_HEADS("newHeads"), LOGS("logs"), NEW_PENDING_TRANSACTIONS("newPendingTransactions");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The type named {@code name}, or null. */
        public static Type of(String name) {
            for (Type t : values()) {
                if (t.label.equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Counts what is sent, for metrics. */
    public interface Sent {
        void notification(Type type);
    }

    private record Subscription(String id, Type type, LogFilter filter, long firstBlock, byte[] idBytes) {

        Subscription(String id, Type type, LogFilter filter, long firstBlock) {
            this(id, type, filter, firstBlock, id.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockFeed feed;
    private final PendingFeed pending;
    private final int max;
    private final Consumer<byte[]> out;
    private final Sent sent;
    private final Map<String, Subscription> byId = new ConcurrentHashMap<>();
    private boolean listening;
    private boolean listeningPending;

    /**
     * @param max the most subscriptions this connection may hold
     * @param out writes one text frame (UTF-8) to the client
     */
    public Subscriptions(BlockFeed feed, PendingFeed pending, int max, Consumer<byte[]> out, Sent sent) {
        this.feed = feed;
        this.pending = pending;
        this.max = max;
        this.out = out;
        this.sent = sent;
    }

    /** Thrown when the connection already holds its maximum. */
    public static final class TooMany extends Exception {
        TooMany(int max) {
            super("this connection already holds " + max + " subscriptions (websocket.maxSubscriptionsPerConnection)");
        }
    }

    /** Makes a subscription and returns its id. */
    public synchronized String subscribe(Type type, LogFilter filter, long servedHead) throws TooMany {
        if (byId.size() >= max) {
            throw new TooMany(max);
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = "0x" + HexFormat.of().formatHex(bytes);
        byId.put(id, new Subscription(id, type, filter, servedHead + 1));
        listen();
        return id;
    }

    /** Ends subscription {@code id}; false when this connection holds none by that id. */
    public synchronized boolean unsubscribe(String id) {
        boolean removed = byId.remove(id) != null;
        listen();
        return removed;
    }

    /** Ends every subscription (the connection closed). */
    public synchronized void close() {
        byId.clear();
        listen();
    }

    /** Listens to each feed while a subscription needs it. */
    private void listen() {
        boolean blocks = byId.values().stream().anyMatch(s -> s.type() != Type.NEW_PENDING_TRANSACTIONS);
        boolean transactions = count(Type.NEW_PENDING_TRANSACTIONS) > 0;
        if (blocks != listening) {
            if (blocks) {
                feed.add(this);
            } else {
                feed.remove(this);
            }
            listening = blocks;
        }
        if (transactions != listeningPending) {
            if (transactions) {
                pending.add(this);
            } else {
                pending.remove(this);
            }
            listeningPending = transactions;
        }
    }

    /** How many subscriptions of {@code type} this connection holds. */
    public int count(Type type) {
        return (int) byId.values().stream().filter(s -> s.type() == type).count();
    }

    @Override
    public void onBlock(Block block) {
        for (Subscription s : byId.values()) {
            if (block.number() < s.firstBlock()) {
                continue;
            }
            if (s.type() == Type.NEW_HEADS) {
                send(s, block.headJson());
            } else if (s.type() == Type.LOGS) {
                for (int i = 0; i < block.logs().size(); i++) {
                    if (s.filter().matches(block.logs().get(i))) {
                        send(s, block.logJson().get(i));
                    }
                }
            }
        }
    }

    @Override
    public void onRemoved(Block block) {
        for (Subscription s : byId.values()) {
            if (s.type() != Type.LOGS || block.number() < s.firstBlock()) {
                continue;
            }
            for (int i = 0; i < block.logs().size(); i++) {
                JsonNode l = block.logs().get(i);
                if (s.filter().matches(l)) {
                    send(s, block.removedLogJson(i));
                }
            }
        }
    }

    @Override
    public void onPending(byte[] hashJson) {
        for (Subscription s : byId.values()) {
            if (s.type() == Type.NEW_PENDING_TRANSACTIONS) {
                send(s, hashJson);
            }
        }
    }

    @Override
    public Set<String> logAddresses() {
        Set<String> union = null;
        for (Subscription s : byId.values()) {
            if (s.type() != Type.LOGS) {
                continue;
            }
            if (s.filter().addresses().isEmpty()) {
                return Set.of();
            }
            if (union == null) {
                union = new HashSet<>();
            }
            union.addAll(s.filter().addresses());
        }
        return union;
    }

    private static final byte[] PREFIX = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"subscription\":\""
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIDDLE = "\",\"result\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "}}".getBytes(StandardCharsets.US_ASCII);

    /** One notification, assembled from bytes written once per block: nothing is encoded per subscriber. */
    private void send(Subscription s, byte[] result) {
        byte[] id = s.idBytes();
        byte[] frame = new byte[PREFIX.length + id.length + MIDDLE.length + result.length + SUFFIX.length];
        int at = 0;
        for (byte[] part : new byte[][] {PREFIX, id, MIDDLE, result, SUFFIX}) {
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        out.accept(frame);
        sent.notification(s.type());
    }
}
