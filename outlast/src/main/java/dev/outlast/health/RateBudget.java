package dev.outlast.health;

import dev.outlast.time.Ticker;

/**
 * How many requests per second one upstream may get: the configured limit, lowered when the
 * upstream answers 429, and raised again while it does not.
 *
 * <h2>Implementation note</h2>
 * A token bucket holding at most one second of tokens at the current rate. The rate starts at the
 * configured limit, or unlimited without one. A 429 halves the rate (an unlimited budget halves the
 * rate of calls it saw in the last second), down to {@value #MIN_RATE}/s; each second without one
 * adds {@value #RECOVERY_SHARE} of the rate (at least one request per second), up to the configured
 * limit, or, without one, up to twice the rate at which the 429 came, where the budget is lifted
 * again: additive increase, multiplicative decrease, as TCP does. A request that finds no token
 * goes to another upstream or waits for one ({@link #nanosUntilToken}); it is never dropped. Head
 * polls take tokens without asking ({@link #takeAnyway}), since providers count them too.
 *
 * <p>Thread-safe; constant work per call.
 */
public final class RateBudget {

    static final double MIN_RATE = 1;
    static final double RECOVERY_SHARE = 0.1;
    private static final long SECOND = 1_000_000_000L;

    private final Ticker ticker;
    private final double limit;
    private double rate;
    private double ceiling;
    private double tokens;
    private long lastRefill;
    private long lastIncrease;
    private long windowStart;
    private int windowCalls;
    private double lastSecondRate;

    /** @param limit requests per second; 0 or less for none (until a 429 says otherwise) */
    public RateBudget(Ticker ticker, double limit) {
        this.ticker = ticker;
        this.limit = limit > 0 ? limit : Double.POSITIVE_INFINITY;
        this.rate = this.limit;
        this.tokens = Double.isInfinite(rate) ? 0 : rate;
        long now = ticker.nanos();
        this.lastRefill = now;
        this.lastIncrease = now;
        this.windowStart = now;
    }

    /** True when a request may be sent now, without taking a token. */
    public synchronized boolean hasToken() {
        long now = ticker.nanos();
        update(now);
        return Double.isInfinite(rate) || tokens >= 1;
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryTake() {
        long now = ticker.nanos();
        update(now);
        if (Double.isInfinite(rate)) {
            count();
            return true;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        count();
        return true;
    }

    /** Takes a token even when there is none (a head poll): later requests wait for it. */
    public synchronized void takeAnyway() {
        long now = ticker.nanos();
        update(now);
        count();
        if (!Double.isInfinite(rate)) {
            tokens = Math.max(-rate, tokens - 1);
        }
    }

    /** How long until a token is available; 0 when one is. */
    public synchronized long nanosUntilToken() {
        long now = ticker.nanos();
        update(now);
        if (Double.isInfinite(rate) || tokens >= 1) {
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / rate * SECOND);
    }

    /** The upstream answered 429 (or a rate-limit error): halve the rate. */
    public synchronized void onRateLimited() {
        long now = ticker.nanos();
        update(now);
        double basis = Double.isInfinite(rate) ? Math.max(lastSecondRate, windowRate(now)) : rate;
        if (Double.isInfinite(limit)) {
            ceiling = Math.max(2 * MIN_RATE, 2 * basis);
        }
        rate = Math.max(MIN_RATE, basis / 2);
        tokens = Math.min(tokens, 0);
        lastRefill = now;
        lastIncrease = now;
    }

    /** Requests per second allowed now; infinite when unlimited. */
    public synchronized double rate() {
        update(ticker.nanos());
        return rate;
    }

    /** True while fewer requests per second are allowed than configured (a 429 lowered it). */
    public synchronized boolean isLowered() {
        update(ticker.nanos());
        return rate < limit;
    }

    private void update(long now) {
        if (now - windowStart >= SECOND) {
            lastSecondRate = windowCalls * (double) SECOND / (now - windowStart);
            windowStart = now;
            windowCalls = 0;
        }
        if (Double.isInfinite(rate)) {
            return;
        }
        long seconds = (now - lastIncrease) / SECOND;
        if (seconds > 0 && rate < limit) {
            for (long i = 0; i < seconds && rate < limit; i++) {
                rate += Math.max(1, rate * RECOVERY_SHARE);
            }
            lastIncrease += seconds * SECOND;
            if (Double.isInfinite(limit) && rate >= ceiling) {
                rate = Double.POSITIVE_INFINITY;
                return;
            }
            rate = Math.min(rate, limit);
        } else if (seconds > 0) {
            lastIncrease += seconds * SECOND;
        }
        tokens = Math.min(rate, tokens + (now - lastRefill) * rate / SECOND);
        lastRefill = now;
    }

    private void count() {
        windowCalls++;
    }

    private double windowRate(long now) {
        long elapsed = Math.max(now - windowStart, SECOND / 10);
        return windowCalls * (double) SECOND / elapsed;
    }
}
