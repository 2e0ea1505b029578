package dev.outlast.verify;

/**
 * A proof or header that does not establish what it claims. The {@link Reason} is a stable word
 * for metrics and the {@code error.data} of a {@code proof_invalid} JSON-RPC error; the message
 * says which node, field or slot failed.
 */
public final class ProofException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a proof was refused. */
    public enum Reason {
        /** A node's keccak differs from the hash its parent (or the root) commits to. */
        HASH_MISMATCH,
        /** A node, path or value is not well-formed RLP or not a valid trie node. */
        MALFORMED,
        /** The proof ends before it reaches a value or proves the key absent. */
        INCOMPLETE,
        /** The proof carries nodes after the one that settles the key. */
        UNUSED_NODES,
        /** The proof is valid but the provider's claimed value differs from the proven one. */
        VALUE_MISMATCH,
        /** Not wrong, but of a kind this package cannot check (e.g. a transaction type it does not know). */
        UNSUPPORTED;

        private final String word = name().toLowerCase(java.util.Locale.ROOT);

        /** The stable lower-case word, e.g. {@code hash_mismatch}. */
        public String word() {
            return word;
        }
    }

    private final Reason reason;
    private final String detail;

    /** Without a stack trace: a refused proof is an expected outcome, and the detail says where. */
    public ProofException(Reason reason, String detail) {
        super(reason.word() + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
    }

    /** The same failure, with {@code context} (e.g. which account or slot) put in front of the detail. */
    public ProofException within(String context) {
        return new ProofException(reason, context + ": " + detail);
    }

    /** What failed, without the reason word. */
    public String detail() {
        return detail;
    }

    public Reason reason() {
        return reason;
    }
}
