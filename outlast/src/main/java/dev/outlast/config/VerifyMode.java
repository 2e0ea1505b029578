package dev.outlast.config;

/** How a chain establishes the reads that move money. */
public enum VerifyMode {
    /** Independent upstreams must agree on the value at the same block. */
    CONSENSUS("consensus"),
    /**
     * One upstream's value, proven by {@code eth_getProof} against the state root of a block header
     * the upstreams agree on. One honest upstream suffices.
     */
    PROOFS("proofs");

    private final String label;

    VerifyMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
