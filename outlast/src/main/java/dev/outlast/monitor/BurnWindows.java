package dev.outlast.monitor;

/**
 * Good and bad event counts in time buckets covering the long window, read as error ratios over
 * the short and the long window (Google SRE workbook, "multiwindow, multi-burn-rate alerts").
 *
 * <p>A bucket is a tenth of the short window; the ring covers the long window plus one bucket.
 * Buckets are reset lazily when their slot is reused for a later time.
 *
 * <p>Not thread-safe: confined to the owning {@link SubjectMonitor}'s lock.
 */
final class BurnWindows {

    private final long bucketMillis;
    private final int shortBuckets;
    private final long[] bucketIndex;
    private final int[] good;
    private final int[] bad;
    /** Buckets before this index are ignored: the windows were restarted (see {@link #restart}). */
    private long floor = Long.MIN_VALUE;

    BurnWindows(long shortWindowMillis, long longWindowMillis) {
        this.bucketMillis = Math.max(1, shortWindowMillis / 10);
        this.shortBuckets = (int) Math.max(1, shortWindowMillis / bucketMillis);
        int size = (int) Math.max(shortBuckets, longWindowMillis / bucketMillis) + 1;
        this.bucketIndex = new long[size];
        this.good = new int[size];
        this.bad = new int[size];
        java.util.Arrays.fill(bucketIndex, Long.MIN_VALUE);
    }

    void add(long nowMillis, boolean ok) {
        long index = Math.floorDiv(nowMillis, bucketMillis);
        int slot = (int) Math.floorMod(index, (long) good.length);
        if (bucketIndex[slot] != index) {
            bucketIndex[slot] = index;
            good[slot] = 0;
            bad[slot] = 0;
        }
        if (ok) {
            good[slot]++;
        } else {
            bad[slot]++;
        }
    }

    /**
     * Forgets everything recorded before {@code nowMillis}: the failures of an episode that has ended
     * no longer count towards the burn rate.
     */
    void restart(long nowMillis) {
        long index = Math.floorDiv(nowMillis, bucketMillis);
        int slot = (int) Math.floorMod(index, (long) good.length);
        if (bucketIndex[slot] == index) {
            good[slot] = 0;
            bad[slot] = 0;
        }
        floor = index;
    }

    /**
     * Takes the {@code n} most recent failures out of the windows (the failures of an outage that has
     * just ended), newest bucket first.
     */
    void forgetFailures(long nowMillis, int n) {
        long newest = Math.floorDiv(nowMillis, bucketMillis);
        for (long index = newest; n > 0 && index > newest - good.length && index >= floor; index--) {
            int slot = (int) Math.floorMod(index, (long) good.length);
            if (bucketIndex[slot] == index) {
                int take = Math.min(bad[slot], n);
                bad[slot] -= take;
                n -= take;
            }
        }
    }

    /** {good, bad} over the last {@code buckets} buckets ending at {@code nowMillis}. */
    private long[] counts(long nowMillis, int buckets) {
        long newest = Math.floorDiv(nowMillis, bucketMillis);
        long g = 0;
        long b = 0;
        for (int i = 0; i < good.length; i++) {
            if (bucketIndex[i] != Long.MIN_VALUE && bucketIndex[i] >= floor && bucketIndex[i] > newest - buckets && bucketIndex[i] <= newest) {
                g += good[i];
                b += bad[i];
            }
        }
        return new long[] {g, b};
    }

    long shortCalls(long nowMillis) {
        long[] c = counts(nowMillis, shortBuckets);
        return c[0] + c[1];
    }

    double shortRatio(long nowMillis) {
        return ratio(counts(nowMillis, shortBuckets));
    }

    /** The error ratio over the last fifth of the short window (two buckets): is it still failing now? */
    double recentRatio(long nowMillis) {
        return ratio(counts(nowMillis, Math.max(1, shortBuckets / 5)));
    }

    double longRatio(long nowMillis) {
        return ratio(counts(nowMillis, good.length - 1));
    }

    private static double ratio(long[] c) {
        long total = c[0] + c[1];
        return total == 0 ? 0 : (double) c[1] / total;
    }
}
