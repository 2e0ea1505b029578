package dev.outlast.routing.proof;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlast.config.VerifyMode;
import dev.outlast.routing.RpcOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * One chain's verified reads, as routing uses them: balances, nonces, code and storage from
 * Merkle-Patricia proofs ({@link ProofRead}), receipts and transactions through the tries of an
 * agreed header ({@link BlockRead}), under the chain's {@code verify} policy ({@link VerifiedRead}),
 * on top of the routed reads the chain provides ({@link RoutedReads}).
 *
 * <p>Thread-safe.
 */
public final class Proofs {

    /** The {@code X-Outlast-Verified} value of an answer served unverified under {@code allowUnverified}. */
    public static final String UNVERIFIED = VerifiedRead.UNVERIFIED;

    private final RoutedReads reads;
    private final ProofSupport support;
    private final StateRoots roots;

    public Proofs(ProofSupport support, RoutedReads reads) {
        this.reads = reads;
        this.support = support;
        this.roots = new StateRoots(reads);
    }

    /** Starts learning which upstreams serve {@code eth_getProof}, unless the chain verifies by consensus only. */
    public void start() {
        if (reads.chain().config().verify().mode() != VerifyMode.CONSENSUS) {
            support.probeAll(reads.chain().upstreams());
        }
    }

    public void close() {
        support.close();
    }

    /**
     * What is known of {@code upstream}'s {@code eth_getProof}: {@code supported}, {@code unsupported}
     * or {@code unknown}.
     */
    public String support(String upstream) {
        return support.label(upstream);
    }

    /** True when a usable upstream is known to serve proofs. */
    public boolean anyUsableSupports() {
        return support.anyUsableSupports(reads.chain().upstreams());
    }

    /**
     * The read of {@code method} as the chain's {@code verify} policy has it served, or null when
     * the policy leaves it to the ordinary read ({@link RoutedReads#plain}).
     *
     * @param params  the params as sent upstream (pinned)
     * @param minHead the block upstreams must have (-1: any)
     * @param pinned  true when the request names one concrete block
     */
    public CompletableFuture<RpcOutcome> read(String method, JsonNode params, long minHead, boolean pinned) {
        if (BlockRead.METHODS.contains(method)) {
            return VerifiedRead.unverifiedIfAllowed(reads.chain().config().verify(),
                    BlockRead.start(reads, support, roots, method, params,
                            () -> reads.plain(method, params, minHead, pinned)),
                    () -> reads.plain(method, params, minHead, pinned));
        }
        return VerifiedRead.start(reads, support, roots, method, params, minHead, pinned);
    }

    /** Forgets the headers of {@code block} and above: a reorg replaced them. */
    public void forgetFrom(long block) {
        roots.forgetFrom(block);
    }
}
