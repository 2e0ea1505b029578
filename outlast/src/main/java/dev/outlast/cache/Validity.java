package dev.outlast.cache;

/**
 * How long a cached answer stays true.
 *
 * @param block the block the answer depends on; -1 when it can never change
 * @param hash  that block's hash when the answer was cached (null when {@code block} is -1); the
 *              answer is true while this hash is canonical at {@code block}
 */
public record Validity(long block, String hash) {

    /** For answers that cannot change: keyed by a block hash, or at a final block. */
    public static final Validity FOREVER = new Validity(-1, null);

    public boolean isForever() {
        return block < 0;
    }

    /** True while the chain still has this answer's block, or it became final. */
    boolean holds(Finality finality) {
        if (isForever() || block <= finality.finalBlock()) {
            return true;
        }
        return hash.equals(finality.hashAt(block));
    }
}
