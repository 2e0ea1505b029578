package dev.outlast.drill.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frozen head of one armed {@code Lag} fault: the upstream's real head minus {@code blocks}, taken
 * once (when the fault is set, or at the first request if the upstream did not answer then) and kept
 * until the fault list is replaced. Thread-safe.
 */
public final class LagState {

    private final int blocks;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile BigInteger frozen;

    public LagState(int blocks) {
        this.blocks = blocks;
    }

    /** The frozen head, asking the upstream for its head if it is not taken yet. */
    public BigInteger frozenHead(Upstream upstream) throws IOException, InterruptedException {
        BigInteger head = frozen;
        if (head != null) {
            return head;
        }
        lock.lock();
        try {
            if (frozen == null) {
                frozen = upstream.blockNumber().subtract(BigInteger.valueOf(blocks)).max(BigInteger.ZERO);
            }
            return frozen;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the frozen head now if the upstream answers; otherwise leaves it for the first request. */
    public void tryFreeze(Upstream upstream) {
        try {
            frozenHead(upstream);
        } catch (IOException e) {
            // taken at the first request instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
