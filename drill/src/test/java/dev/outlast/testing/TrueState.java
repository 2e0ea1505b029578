package dev.outlast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The truth a load test judges answers by: what a node, queried directly (no proxy, no faults),
 * says an account held at each block of a range. An answer received between blocks {@code before}
 * and {@code after} was right if it is one of the values held in {@code [before, after]}.
 *
 * <p>With {@link #recordAppearances()} it also records when each block appeared (the node's head
 * polled every {@link #APPEARANCE_POLL}), so that an answer can be judged by its age: how long
 * before the read began the chain had replaced it ({@link #judge}). Thread-safe.
 */
public final class TrueState implements AutoCloseable {

    /** How often the node's head is polled while appearances are recorded. */
    public static final Duration APPEARANCE_POLL = Duration.ofMillis(20);

    /** How an answer compares with the chain's history. */
    public enum Verdict {
        /** Held at a block that was the head at most the allowed age before the read began, or later. */
        FRESH,
        /** Held, but replaced more than the allowed age before the read began. */
        STALE,
        /** Never held by the chain up to its head after the read. */
        WRONG
    }

    /**
     * The judgement of one answer.
     *
     * @param ageMillis for a stale answer, how long before the read began the chain had replaced it
     * @param head      the node's head when the answer was judged
     */
    public record Judgement(Verdict verdict, long ageMillis, long head) {
    }

    private final JsonRpcClient node;
    /** Block number to the System.nanoTime it was first seen at; blocks seen at once share a time. */
    private final ConcurrentSkipListMap<Long, Long> appeared = new ConcurrentSkipListMap<>();
    private volatile Thread recorder;

    /** Judges by {@code node}, which must be a node itself, not a proxy. */
    public TrueState(URI node) {
        this.node = new JsonRpcClient(node);
    }

    /** Starts recording when each block appears, until {@link #close}; returns this. */
    public TrueState recordAppearances() {
        long head = head();
        appeared.put(head, System.nanoTime());
        recorder = Thread.ofPlatform().daemon().name("true-state-appearances").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    long now = head();
                    long seen = System.nanoTime();
                    for (long b = appeared.lastKey() + 1; b <= now; b++) {
                        appeared.putIfAbsent(b, seen);
                    }
                    Thread.sleep(APPEARANCE_POLL);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the node is busy; the next poll records what appeared meanwhile
                }
            }
        });
        return this;
    }

    /** The highest block that had appeared at {@code nanos} (System.nanoTime); the first recorded before that. */
    public long headAt(long nanos) {
        for (var e : appeared.descendingMap().entrySet()) {
            if (e.getValue() - nanos <= 0) {
                return e.getKey();
            }
        }
        return appeared.firstKey();
    }

    /**
     * Judges a balance ({@code eth_getBalance}) or nonce ({@code eth_getTransactionCount}) answered
     * to a read begun at {@code startNanos}: fresh if held at a block from the head of
     * {@code maxAge} before the read up to the head now; stale if held only earlier; wrong if never
     * held. Needs {@link #recordAppearances()}.
     */
    public Judgement judge(String method, String address, BigInteger value, long startNanos, Duration maxAge) {
        long after = head();
        long from = Math.min(after, headAt(startNanos - maxAge.toNanos()));
        if (values(method, address, from, after).contains(value)) {
            return new Judgement(Verdict.FRESH, 0, after);
        }
        List<BigInteger> history = history(method, address, 0, after);
        for (int b = history.size() - 1; b >= 0; b--) {
            if (history.get(b).equals(value)) {
                return new Judgement(Verdict.STALE, ageOfReplacement(b + 1, startNanos), after);
            }
        }
        return new Judgement(Verdict.WRONG, 0, after);
    }

    /** Judges a block number answered to a read begun at {@code startNanos}, like {@link #judge}. */
    public Judgement judgeBlockNumber(long block, long startNanos, Duration maxAge) {
        long head = head();
        if (block > head) {
            return new Judgement(Verdict.WRONG, 0, head);
        }
        if (block >= headAt(startNanos - maxAge.toNanos())) {
            return new Judgement(Verdict.FRESH, 0, head);
        }
        return new Judgement(Verdict.STALE, ageOfReplacement(block + 1, startNanos), head);
    }

    /** How long before {@code startNanos} block {@code replacing} appeared (from the recording's start at most). */
    private long ageOfReplacement(long replacing, long startNanos) {
        Long at = appeared.get(replacing);
        long when = at != null ? at : appeared.firstEntry().getValue();
        return Math.max(0, (startNanos - when) / 1_000_000);
    }

    /** Every balance {@code address} held at a block in {@code [fromBlock, toBlock]}. */
    public Set<BigInteger> balances(String address, long fromBlock, long toBlock) {
        return values("eth_getBalance", address, fromBlock, toBlock);
    }

    /** Every nonce {@code address} had at a block in {@code [fromBlock, toBlock]}. */
    public Set<BigInteger> nonces(String address, long fromBlock, long toBlock) {
        return values("eth_getTransactionCount", address, fromBlock, toBlock);
    }

    /** Whether {@code balance} was {@code address}'s balance at some block in {@code [before, after]}. */
    public boolean isValidBalance(String address, BigInteger balance, long before, long after) {
        return balances(address, before, after).contains(balance);
    }

    /** Whether {@code nonce} was {@code address}'s nonce at some block in {@code [before, after]}. */
    public boolean isValidNonce(String address, BigInteger nonce, long before, long after) {
        return nonces(address, before, after).contains(nonce);
    }

    /** The node's head now. */
    public long head() {
        return node.blockNumber();
    }

    @Override
    public void close() {
        Thread r = recorder;
        if (r != null) {
            r.interrupt();
            try {
                r.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        node.close();
    }

    private Set<BigInteger> values(String method, String address, long fromBlock, long toBlock) {
        return new LinkedHashSet<>(history(method, address, fromBlock, toBlock));
    }

    /** The value at each block of {@code [fromBlock, toBlock]}, in block order. */
    private List<BigInteger> history(String method, String address, long fromBlock, long toBlock) {
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("blocks: [" + fromBlock + ", " + toBlock
                    + "] (expected: 0 <= from <= to)");
        }
        ArrayNode batch = JsonRpcClient.MAPPER.createArrayNode();
        for (long b = fromBlock; b <= toBlock; b++) {
            batch.add(JsonRpcClient.request(method, address, "0x" + Long.toHexString(b)));
        }
        List<BigInteger> values = new ArrayList<>();
        for (JsonNode answer : node.exchange(batch)) {
            if (answer.has("error")) {
                throw new JsonRpcClient.RpcException(answer.get("error"));
            }
            values.add(new BigInteger(answer.get("result").asText().substring(2), 16));
        }
        return values;
    }
}
