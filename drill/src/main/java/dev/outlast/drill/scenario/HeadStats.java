package dev.outlast.drill.scenario;

/**
 * What a client holding a {@code newHeads} subscription through Outlast saw during a run.
 *
 * @param delivered   notifications received
 * @param gaps        block numbers skipped between two notifications
 * @param duplicates  blocks delivered twice
 * @param unlinked    blocks whose parent was not the block delivered before them
 * @param closedEarly whether the socket closed (or never opened) before the run ended
 * @param failure     why it closed or was refused, or null
 */
public record HeadStats(long delivered, long gaps, long duplicates, long unlinked, boolean closedEarly,
                        String failure) {

    /** Blocks arrived, each once, in order, linked, over one socket that stayed open. */
    public boolean clean() {
        return delivered > 0 && gaps == 0 && duplicates == 0 && unlinked == 0 && !closedEarly;
    }

    /** {@code 41 blocks, 0 gaps, 0 duplicates}, and what went wrong if anything did. */
    public String line() {
        return delivered + " blocks, " + gaps + " gaps, " + duplicates + " duplicates"
                + (unlinked > 0 ? ", " + unlinked + " unlinked" : "") + (failure != null ? " (" + failure + ")" : "");
    }
}
