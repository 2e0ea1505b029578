package dev.outlast.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code monitoring:} how incidents are detected, and the extra active probes.
 *
 * @param openAfterFailures     consecutive failures that make a subject down and open an incident,
 *                              default {@value #DEFAULT_OPEN_AFTER_FAILURES}
 * @param resolveAfterSuccesses consecutive successes that resolve it, default {@value #DEFAULT_RESOLVE_AFTER_SUCCESSES}
 * @param slo                   availability objective in (0, 1) the burn rate is measured against, default
 *                              {@value #DEFAULT_SLO}
 * @param burnRate              burn rate (error ratio / error budget) above which, in both windows, a subject is
 *                              degraded, default {@value #DEFAULT_BURN_RATE}
 * @param shortWindow           the short burn-rate window, default 5m
 * @param longWindow            the long burn-rate window, default 1h
 * @param minCalls              calls the short window needs before its ratio counts, default {@value #DEFAULT_MIN_CALLS}
 * @param groupWait             how long an opened incident waits for others of the same vendor before alerting,
 *                              default 10s
 * @param vendorGroupMin        subjects failing with one vendor that make a vendor incident, default
 *                              {@value #DEFAULT_VENDOR_GROUP_MIN}
 * @param retention             how long probe/subject results are kept, default 90 days
 * @param probes                extra active probes
 */
public record MonitoringConfig(int openAfterFailures, int resolveAfterSuccesses, double slo, double burnRate,
                               Duration shortWindow, Duration longWindow, int minCalls, Duration groupWait,
                               int vendorGroupMin, Duration retention, List<ProbeConfig> probes) {

    public static final int DEFAULT_OPEN_AFTER_FAILURES = 3;
    public static final int DEFAULT_RESOLVE_AFTER_SUCCESSES = 5;
    public static final double DEFAULT_SLO = 0.99;
    public static final double DEFAULT_BURN_RATE = 14.4;
    public static final Duration DEFAULT_SHORT_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_LONG_WINDOW = Duration.ofHours(1);
    public static final int DEFAULT_MIN_CALLS = 10;
    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(10);
    public static final int DEFAULT_VENDOR_GROUP_MIN = 2;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    public static final MonitoringConfig DEFAULT = new MonitoringConfig(DEFAULT_OPEN_AFTER_FAILURES,
            DEFAULT_RESOLVE_AFTER_SUCCESSES, DEFAULT_SLO, DEFAULT_BURN_RATE, DEFAULT_SHORT_WINDOW, DEFAULT_LONG_WINDOW,
            DEFAULT_MIN_CALLS, DEFAULT_GROUP_WAIT, DEFAULT_VENDOR_GROUP_MIN, DEFAULT_RETENTION, List.of());

    public MonitoringConfig {
        if (openAfterFailures < 1) {
            throw new IllegalArgumentException("openAfterFailures: " + openAfterFailures + " (expected: >= 1)");
        }
        if (resolveAfterSuccesses < 1) {
            throw new IllegalArgumentException("resolveAfterSuccesses: " + resolveAfterSuccesses + " (expected: >= 1)");
        }
        if (!(slo > 0 && slo < 1)) {
            throw new IllegalArgumentException("slo: " + slo + " (expected: between 0 and 1, exclusive)");
        }
        if (!(burnRate > 0)) {
            throw new IllegalArgumentException("burnRate: " + burnRate + " (expected: > 0)");
        }
        if (shortWindow.compareTo(longWindow) > 0) {
            throw new IllegalArgumentException("shortWindow: " + shortWindow + " (expected: <= longWindow)");
        }
        if (vendorGroupMin < 2) {
            throw new IllegalArgumentException("vendorGroupMin: " + vendorGroupMin + " (expected: >= 2)");
        }
        probes = List.copyOf(probes);
    }

    /** These settings with other probes. */
    public MonitoringConfig withProbes(List<ProbeConfig> newProbes) {
        return new MonitoringConfig(openAfterFailures, resolveAfterSuccesses, slo, burnRate, shortWindow, longWindow,
                minCalls, groupWait, vendorGroupMin, retention, newProbes);
    }
}
