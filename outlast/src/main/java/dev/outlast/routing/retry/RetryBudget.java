package dev.outlast.routing.retry;

import java.util.Arrays;

/**
 * One request's retry budget: how many extra attempts it has left, whom it asked and how often, and
 * the run of failures each was on when first asked (see {@link RetryPolicy} for what these decide).
 * Kept in small arrays scanned in order: a request asks a handful of upstreams, and one that is
 * answered at the first ask allocates no map.
 *
 * <p>Not thread-safe: owned by one request (a chain's {@code routing.Candidates}, a site's
 * {@code site.OriginRetries}).
 */
public final class RetryBudget {

    private static final String[] NO_NAMES = {};
    private static final int[] NO_INTS = {};

    private final RetryPolicy policy;
    private int left;
    private String[] names = NO_NAMES;
    private int[] counts = NO_INTS;
    private int[] runs = NO_INTS;
    private int size;

    /** A budget of {@code policy}'s {@link RetryPolicy#retryBudget() retryBudget} extra attempts. */
    public RetryBudget(RetryPolicy policy) {
        this.policy = policy;
        this.left = policy.retryBudget();
    }

    /** True while an extra attempt may still be spent. */
    public boolean hasRetries() {
        return left > 0;
    }

    /** Spends one extra attempt. */
    public void spend() {
        left--;
    }

    /** Records that {@code target} is asked (once more). */
    public void asked(RetryTarget target) {
        int i = indexOf(target.name());
        if (i < 0) {
            i = add(target.name(), target.consecutiveFailures());
        }
        counts[i]++;
    }

    /** How often this request asked {@code name}; 0 when never. */
    public int attempts(String name) {
        int i = indexOf(name);
        return i < 0 ? 0 : counts[i];
    }

    /** True when this request asked {@code name} at least once. */
    public boolean wasAsked(String name) {
        return indexOf(name) >= 0;
    }

    /** True when {@code target} is on a long run of failures and has had all the attempts that allows. */
    public boolean isCapped(RetryTarget target) {
        int i = indexOf(target.name());
        int run = i < 0 ? target.consecutiveFailures() : runs[i];
        return policy.isCapped(run, i < 0 ? 0 : counts[i]);
    }

    /** True when {@code target} fails nearly every call: dead, not flaky. */
    public boolean isDead(RetryTarget target) {
        return policy.isDead(target.errorRate());
    }

    private int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private int add(String name, int run) {
        if (size == names.length) {
            int capacity = Math.max(4, size * 2);
            names = Arrays.copyOf(names, capacity);
            counts = Arrays.copyOf(counts, capacity);
            runs = Arrays.copyOf(runs, capacity);
        }
        names[size] = name;
        runs[size] = run;
        return size++;
    }
}
