package dev.outlast.monitor;

import dev.outlast.config.MonitoringConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every subject's {@link SubjectMonitor}: takes observations from live traffic and probes and tells
 * the {@link Listener} when a subject changes state (or its attribution changes while failing).
 * Subjects are registered on first observation; {@link #register} only makes one visible early.
 *
 * <p>Thread-safe: each subject is guarded by its own lock. The listener is called under that lock
 * (so one subject's transitions arrive in order) on the observing thread (an event loop for live
 * traffic): it must not block and must never call back into the monitor.
 */
public final class Monitor {

    /** Told of every {@link Transition}. Must be thread-safe and must not block. */
    @FunctionalInterface
    public interface Listener {
        void onTransition(Transition transition);
    }

    /** Downsampled results of one subject for one minute. */
    public record MinuteSample(String subjectId, long minuteEpochMillis, long ok, long failed, long latencySumMs) {
    }

    private final MonitoringConfig config;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, SubjectMonitor> subjects = new ConcurrentHashMap<>();

    public Monitor(MonitoringConfig config, Clock clock, Listener listener) {
        this.config = config;
        this.clock = clock;
        this.listener = listener;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Makes {@code subject} known (shown as ok) before its first observation; for a subject already
     * known, takes this description of it (its configured vendor, say).
     */
    public void register(Subject subject) {
        SubjectMonitor monitor = monitorOf(subject);
        synchronized (monitor) {
            monitor.describe(subject);
        }
    }

    /** Records one outcome for {@code subject}. */
    public void observe(Subject subject, Observation observation) {
        change(subject, m -> m.observe(observation, clock.instant()));
    }

    /** Applies {@code change} to the subject's state machine and tells the listener what it returns. */
    private void change(Subject subject, java.util.function.Function<SubjectMonitor, Transition> change) {
        SubjectMonitor monitor = monitorOf(subject);
        synchronized (monitor) {
            // Told under the subject's lock, so one subject's transitions arrive in order.
            Transition t = change.apply(monitor);
            if (t != null) {
                listener.onTransition(t);
            }
        }
    }

    /**
     * Holds {@code subject} down because of {@code cause} (e.g. {@code wrong chain id: expected 0x1
     * got 0x5}), whatever its calls say, until {@link #clearFault}. Repeating the same cause does nothing.
     */
    public void fault(Subject subject, String cause) {
        change(subject, m -> m.fault(cause, clock.instant()));
    }

    /** Ends a {@link #fault}: the subject resolves after the usual streak of successes. */
    public void clearFault(Subject subject) {
        SubjectMonitor monitor = monitorOf(subject);
        synchronized (monitor) {
            monitor.clearFault(clock.instant());
        }
    }

    private SubjectMonitor monitorOf(Subject subject) {
        return subjects.computeIfAbsent(subject.id(), id -> new SubjectMonitor(subject, config, clock.instant()));
    }

    /** Every subject, ordered by group and name. */
    public List<SubjectView> views() {
        List<SubjectView> out = new ArrayList<>();
        for (SubjectMonitor m : subjects.values()) {
            synchronized (m) {
                out.add(m.view(clock.instant()));
            }
        }
        out.sort(Comparator.comparing((SubjectView v) -> v.subject().group()).thenComparing(v -> v.subject().name()));
        return out;
    }

    public Optional<SubjectView> view(String subjectId) {
        SubjectMonitor m = subjects.get(subjectId);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            return Optional.of(m.view(clock.instant()));
        }
    }

    /** Takes the per-minute counts gathered since the last call, for the history store. */
    public List<MinuteSample> drainSamples() {
        List<MinuteSample> out = new ArrayList<>();
        for (SubjectMonitor m : subjects.values()) {
            List<long[]> minutes;
            synchronized (m) {
                minutes = m.drainMinutes();
            }
            for (long[] c : minutes) {
                out.add(new MinuteSample(m.subject().id(), c[0], c[1], c[2], c[3]));
            }
        }
        return out;
    }
}
