package dev.outlast.config;

/** How a chain establishes the reads that move money (balances, nonces, code, storage). */
public enum VerifyMode {
    /**
     * {@link #PROOFS} while at least one usable upstream answers {@code eth_getProof}, else
     * {@link #CONSENSUS}: each upstream is probed at start and when it recovers, and every real
     * {@code eth_getProof} answer updates what is known of it. The default.
     */
    AUTO("auto"),
    /** Independent upstreams must agree on the value at the same block. */
    CONSENSUS("consensus"),
    /**
     * One upstream's value, proven by {@code eth_getProof} against the state root of a block header
     * the upstreams agree on. One honest upstream suffices.
     */
    PROOFS("proofs"),
    /** The proven value must also be the one {@code minAgree} upstreams agree on; served only when both hold. */
    BOTH("both");

    private final String label;

    VerifyMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
