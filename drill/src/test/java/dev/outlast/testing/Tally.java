package dev.outlast.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a wallet and its readers saw during one phase of a scenario: reads and how they were judged
 * against the chain's history ({@link TrueState#judge}), transfers mined and failed, latencies, and
 * the first few failures as samples. Thread-safe.
 */
public final class Tally {

    private static final int SAMPLES = 20;

    private final String phase;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong maxStaleMillis = new AtomicLong();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final List<Long> readMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> sendMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<String> samples = Collections.synchronizedList(new ArrayList<>());

    public Tally(String phase) {
        this.phase = phase;
    }

    public String phase() {
        return phase;
    }

    void read(long millis, TrueState.Judgement judgement, String what) {
        reads.incrementAndGet();
        readMillis.add(millis);
        switch (judgement.verdict()) {
            case FRESH -> { }
            case STALE -> {
                stale.incrementAndGet();
                maxStaleMillis.accumulateAndGet(judgement.ageMillis(), Math::max);
                note("stale (replaced " + judgement.ageMillis() + " ms before the read, true head "
                        + judgement.head() + "): " + what);
            }
            case WRONG -> {
                wrong.incrementAndGet();
                note("wrong (true head " + judgement.head() + "): " + what);
            }
        }
    }

    void readError(long millis, String what) {
        reads.incrementAndGet();
        readErrors.incrementAndGet();
        readMillis.add(millis);
        note("read error: " + what);
    }

    void sent(long millis) {
        sends.incrementAndGet();
        sendMillis.add(millis);
    }

    void failedSend(String why) {
        failedSends.incrementAndGet();
        note("failed send: " + why);
    }

    private void note(String text) {
        synchronized (samples) {
            if (samples.size() < SAMPLES) {
                samples.add(text);
            }
        }
    }

    public long reads() {
        return reads.get();
    }

    public long readErrors() {
        return readErrors.get();
    }

    public long wrong() {
        return wrong.get();
    }

    public long stale() {
        return stale.get();
    }

    public long sends() {
        return sends.get();
    }

    public long failedSends() {
        return failedSends.get();
    }

    public List<String> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-34s %6s %6s %6s %6s %9s %6s %6s %8s %8s %8s", "phase", "reads",
                "errors", "wrong", "stale", "stale max", "sent", "failed", "read p50", "read p99", "sent p50");
    }

    public String row() {
        return String.format(Locale.ROOT, "%-34s %6d %6d %6d %6d %7dms %6d %6d %6dms %6dms %6dms", phase,
                reads.get(), readErrors.get(), wrong.get(), stale.get(), maxStaleMillis.get(), sends.get(),
                failedSends.get(), percentile(readMillis, 0.5), percentile(readMillis, 0.99),
                percentile(sendMillis, 0.5));
    }

    private static long percentile(List<Long> values, double q) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
