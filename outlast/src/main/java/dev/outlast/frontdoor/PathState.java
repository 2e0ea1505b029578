package dev.outlast.frontdoor;

import java.time.Instant;

/**
 * What the probes of one target say so far: the last result and the streaks the decision reads.
 *
 * <p>Not thread-safe: guarded by the owning {@link Steering}.
 */
final class PathState {

    final String name;
    final String vendor;
    final int preference;
    ProbeResult last;
    Instant lastAt;
    /** Consecutive failed probes, whatever their verdict. */
    int failStreak;
    /** Consecutive failed probes that were the path's fault. */
    int pathStreak;
    /** Since when every probe passed, or {@code null} while failing or unknown. */
    Instant passingSince;
    /** The last time a maintenance window drained it, or {@code null}. */
    Instant lastDrained;

    PathState(String name, String vendor, int preference) {
        this.name = name;
        this.vendor = vendor;
        this.preference = preference;
    }

    void record(ProbeResult result, Instant at) {
        last = result;
        lastAt = at;
        if (result.verdict().failed()) {
            failStreak++;
            pathStreak = result.verdict() == PathVerdict.PATH ? pathStreak + 1 : 0;
            passingSince = null;
        } else {
            failStreak = 0;
            pathStreak = 0;
            if (passingSince == null) {
                passingSince = at;
            }
        }
    }

    boolean passing() {
        return last != null && !last.verdict().failed();
    }

    boolean failing() {
        return last != null && last.verdict().failed();
    }

    /** {@code cloudflare: 3 failed probes, last: HTTP 522, Cloudflare (edge) at FRA (40 ms)}. */
    String words() {
        if (last == null) {
            return name + ": not probed yet";
        }
        if (!last.verdict().failed()) {
            return name + ": passing (" + last.words() + ")";
        }
        return name + ": " + failStreak + (failStreak == 1 ? " failed probe" : " failed probes") + ", last: "
               + last.words();
    }
}
