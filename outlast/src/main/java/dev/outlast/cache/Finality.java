package dev.outlast.cache;

/**
 * What a chain knows about its canonical blocks, as the cache needs it. Thread-safe.
 */
public interface Finality {

    /** The highest block that can no longer be reorganised; -1 when none is known yet. */
    long finalBlock();

    /** The canonical hash of a block above {@link #finalBlock()}, or null when not known. */
    String hashAt(long block);
}
