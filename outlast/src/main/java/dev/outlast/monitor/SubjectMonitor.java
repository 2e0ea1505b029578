package dev.outlast.monitor;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.MonitoringConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The incident state machine of one subject.
 *
 * <h2>Implementation note</h2>
 * Three states. {@code OK} becomes {@code DOWN} after {@code openAfterFailures} consecutive
 * failures, or {@code DEGRADED} when the burn rate (error ratio / error budget, the budget being
 * {@code 1 - slo}) is above {@code burnRate} in <em>both</em> the short and the long window with
 * at least {@code minCalls} calls in the short one: the long window proves the errors are
 * significant, the short one that they are still happening, so the alert also stops soon after
 * the errors do. {@code DEGRADED} becomes {@code DOWN} on the failure streak. Leaving
 * {@code DOWN} takes {@code resolveAfterSuccesses} consecutive successes: the subject is healthy
 * again, so the failures of the outage (those since the streak that made it {@code DOWN}) are
 * taken out of the burn windows, where they would otherwise keep the short window burning for
 * minutes after recovery; what remains decides between {@code OK} and {@code DEGRADED} (a subject
 * that was already flaky before the outage stays in its incident as degraded). Leaving
 * {@code DEGRADED} takes the same streak and, in addition, a recent error ratio (the last fifth of
 * the short window) below the burn threshold, after which the burn windows restart: a subject still
 * failing now and then has such streaks all the time and must not flap between open and resolved. A single failure or success never flips the state (flap
 * suppression) unless the thresholds are configured to 1.
 * <p>A fault ({@link #fault}) is a condition known from outside the call outcomes, such as an
 * upstream serving another chain: it holds the subject {@code DOWN} with the fault as the reason,
 * whatever the calls say (such an upstream answers them all); once cleared, the usual
 * {@code resolveAfterSuccesses} rule resolves it.
 * <p>The vendor and edge locations reported are those attributed within the short window, so a
 * long incident follows the vendor that is failing now. A change of either while not ok is
 * reported as a transition with {@code from == to}.
 * <p>It keeps per-minute good/bad counts for the history store until {@link #drainMinutes} takes them.
 *
 * <p>Not thread-safe: {@link Monitor} synchronizes on it.
 */
final class SubjectMonitor {

    private static final double LATENCY_ALPHA = 0.2;

    private volatile Subject subject;
    private final MonitoringConfig config;
    private final BurnWindows burn;
    private final Map<String, Instant> locations = new LinkedHashMap<>();
    private final Map<Long, long[]> minutes = new LinkedHashMap<>();

    private Health health = Health.OK;
    private Instant since;
    private int failStreak;
    private int okStreak;
    private Vendor vendor = Vendor.UNKNOWN;
    private Instant vendorSeen = Instant.MIN;
    private Source source = Source.UNKNOWN;
    private String lastDetail;
    private long calls;
    private long failures;
    private double latencyMs = -1;
    private String reason = "no failures";
    private String fault;
    /** Failures since the streak that made the subject {@code DOWN}: the outage's own. */
    private int outageFailures;

    SubjectMonitor(Subject subject, MonitoringConfig config, Instant now) {
        this.subject = subject;
        this.config = config;
        this.burn = new BurnWindows(config.shortWindow().toMillis(), config.longWindow().toMillis());
        this.since = now;
    }

    Subject subject() {
        return subject;
    }

    /** Takes a newer description of the same subject. */
    void describe(Subject described) {
        this.subject = described;
    }

    /** Records one outcome; returns what changed, or {@code null}. */
    Transition observe(Observation o, Instant now) {
        long nowMs = now.toEpochMilli();
        calls++;
        burn.add(nowMs, o.ok());
        long[] minute = minutes.computeIfAbsent(Math.floorDiv(nowMs, 60_000L) * 60_000L, m -> new long[3]);
        Vendor vendorBefore = currentVendor(now);
        Source sourceBefore = currentSource(now);
        List<String> locationsBefore = currentLocations(now);
        if (o.ok()) {
            okStreak++;
            failStreak = 0;
            minute[0]++;
            minute[2] += Math.round(o.latencyMs());
            latencyMs = latencyMs < 0 ? o.latencyMs() : LATENCY_ALPHA * o.latencyMs() + (1 - LATENCY_ALPHA) * latencyMs;
        } else {
            failStreak++;
            okStreak = 0;
            failures++;
            minute[1]++;
            lastDetail = o.detail() == null ? o.failure() : o.detail();
            if (o.vendor() != Vendor.UNKNOWN) {
                vendor = o.vendor();
                vendorSeen = now;
                source = o.source();
            }
            if (o.location() != null) {
                locations.remove(o.location());
                locations.put(o.location(), now);
            }
        }
        if (!o.ok() && health == Health.DOWN) {
            outageFailures++;
        }
        boolean burning = burning(nowMs);
        Health next = health;
        if (fault != null || failStreak >= config.openAfterFailures()) {
            next = Health.DOWN;
            if (health != Health.DOWN) {
                outageFailures = failStreak;
            }
        } else if (health == Health.OK && burning) {
            next = Health.DEGRADED;
        } else if (health == Health.DOWN && okStreak >= config.resolveAfterSuccesses()) {
            burn.forgetFailures(nowMs, outageFailures);
            outageFailures = 0;
            burning = burning(nowMs);
            next = burning ? Health.DEGRADED : Health.OK;
        } else if (health == Health.DEGRADED && okStreak >= config.resolveAfterSuccesses() && !burningRecently(nowMs)) {
            next = Health.OK;
            burn.restart(nowMs);
            burning = false;
        }
        Health from = health;
        if (next != health) {
            health = next;
            since = now;
        }
        reason = describe(nowMs, burning);
        if (from != next) {
            return transition(from, now);
        }
        if (health != Health.OK && (currentVendor(now) != vendorBefore || currentSource(now) != sourceBefore
                                    || !currentLocations(now).equals(locationsBefore))) {
            return transition(from, now);
        }
        return null;
    }

    /**
     * Holds the subject {@code DOWN} because of {@code cause} until {@link #clearFault}; returns the
     * transition, or {@code null} when this fault was already held.
     */
    Transition fault(String cause, Instant now) {
        if (cause.equals(fault)) {
            return null;
        }
        fault = cause;
        lastDetail = cause;
        okStreak = 0;
        Health from = health;
        if (health != Health.DOWN) {
            health = Health.DOWN;
            since = now;
        }
        reason = cause;
        return transition(from, now);
    }

    /** Ends a {@link #fault}; the subject then resolves after the usual streak of successes. */
    void clearFault(Instant now) {
        if (fault != null) {
            fault = null;
            okStreak = 0;
            failStreak = 0;
            reason = describe(now.toEpochMilli(), burning(now.toEpochMilli()));
        }
    }

    private Transition transition(Health from, Instant now) {
        return new Transition(subject, from, health, currentVendor(now), currentLocations(now), reason, now,
                attributed(now), currentSource(now));
    }

    private boolean burning(long nowMs) {
        if (burn.shortCalls(nowMs) < config.minCalls()) {
            return false;
        }
        double budget = 1 - config.slo();
        return burn.shortRatio(nowMs) / budget >= config.burnRate() && burn.longRatio(nowMs) / budget >= config.burnRate();
    }

    private boolean burningRecently(long nowMs) {
        return burn.recentRatio(nowMs) / (1 - config.slo()) >= config.burnRate();
    }

    private String describe(long nowMs, boolean burning) {
        if (fault != null) {
            return fault;
        }
        return switch (health) {
            case DOWN -> failStreak >= config.openAfterFailures()
                    ? failStreak + " consecutive failures, last: " + lastDetail
                    : "recovering: " + okStreak + " of " + config.resolveAfterSuccesses() + " successes, last failure: "
                      + lastDetail;
            case DEGRADED -> burning
                    ? String.format(Locale.ROOT, "error ratio %.1f%% over %s and %.1f%% over %s (burn rate %.1f), last: %s",
                            burn.shortRatio(nowMs) * 100, words(config.shortWindow()), burn.longRatio(nowMs) * 100,
                            words(config.longWindow()), burn.shortRatio(nowMs) / (1 - config.slo()), lastDetail)
                    : "recovering: " + okStreak + " of " + config.resolveAfterSuccesses() + " successes";
            case OK -> "ok";
        };
    }

    private static String words(Duration d) {
        return d.toMinutes() >= 60 && d.toMinutes() % 60 == 0 ? d.toHours() + " h"
                : d.toSeconds() >= 60 && d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    /** Whether a vendor was attributed from a failed response within the short window. */
    private boolean attributed(Instant now) {
        return vendor != Vendor.UNKNOWN && !vendorSeen.isBefore(now.minus(config.shortWindow()));
    }

    private Source currentSource(Instant now) {
        return attributed(now) ? source : Source.UNKNOWN;
    }

    private Vendor currentVendor(Instant now) {
        if (attributed(now)) {
            return vendor;
        }
        return subject.vendor() == null ? Vendor.UNKNOWN : Observation.vendorOf(subject.vendor());
    }

    private List<String> currentLocations(Instant now) {
        Instant cutoff = now.minus(config.shortWindow());
        locations.values().removeIf(seen -> seen.isBefore(cutoff));
        return List.copyOf(locations.keySet());
    }

    SubjectView view(Instant now) {
        long nowMs = now.toEpochMilli();
        return new SubjectView(subject, health, reason, since, health == Health.OK ? Vendor.UNKNOWN : currentVendor(now),
                health == Health.OK ? List.of() : currentLocations(now), calls, failures, burn.shortRatio(nowMs),
                burn.longRatio(nowMs), burn.shortRatio(nowMs) / (1 - config.slo()), latencyMs,
                health == Health.OK ? Source.UNKNOWN : currentSource(now));
    }

    /** The per-minute counts gathered since the last call: {minute epoch ms, ok, failed, latency sum ms}. */
    List<long[]> drainMinutes() {
        List<long[]> out = new ArrayList<>(minutes.size());
        minutes.forEach((minute, c) -> out.add(new long[] {minute, c[0], c[1], c[2]}));
        minutes.clear();
        return out;
    }
}
