package dev.outlast.store;

import java.time.LocalDate;

/**
 * Results of one subject on one UTC day.
 *
 * @param ok     successful calls and probe runs
 * @param failed failed ones
 */
public record Uptime(LocalDate day, long ok, long failed) {

    /** The share of successes in [0, 1], or -1 when nothing was recorded. */
    public double ratio() {
        long total = ok + failed;
        return total == 0 ? -1 : (double) ok / total;
    }
}
