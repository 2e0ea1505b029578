package dev.outlast.frontdoor;

import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides which target a front door's record points at.
 *
 * <h2>Implementation note</h2>
 * The record points at one target, the active one; the targets are in order of preference. The
 * probes of each target are fed in ({@link #record}); {@link #decide} is asked after each probe and
 * every second, with the time, and answers stay, move or hold. In order:
 * <ol>
 * <li>While pinned by an operator, the record stays on the pinned target whatever the probes say.</li>
 * <li>When a maintenance window of the active target's vendor (or of its subject
 * {@code frontdoor/<name>/<target>}) starts within its {@code drainBefore}, or is in progress, the
 * record moves to the first passing target not drained, without waiting for failures and without
 * damping (the window is known in advance).</li>
 * <li>The active target moves away after {@code failAfter} consecutive failed probes that were all
 * the path's fault (the CDN's edge generated the error page, or the connection, TLS or the deadline
 * to the edge failed), to the first passing target not drained. No passing target: hold. A failure
 * that is the origin's (passed through by the edge) or cannot be attributed is not the path's: hold,
 * and when every target fails with the origin's errors, say {@value Decision#ORIGIN_FAILING}.</li>
 * <li>With {@code failback: auto}, the record moves back to a more preferred target once that target
 * has passed for {@code failbackAfter} and the record has not changed for as long; with
 * {@code manual} it never moves back on its own (only a failure of the active target moves it). A
 * target drained by a maintenance window counts as stable only from the window's end.</li>
 * </ol>
 * Automatic moves are at least {@code minChangeInterval} apart (flap damping; a damped failover is a
 * hold). Operator moves ({@link #pin}, {@link #force}) are not damped, and count as changes.
 * <p>Invariants: the active target is always one of the configured ones; while pinned, the pinned
 * target is the active one; a move only ever goes to a target whose last probe passed, unless an
 * operator asked for it.
 * <p>It does not probe, write DNS or keep time: the caller feeds results and the time, and carries
 * out moves. It does not count an unprobed target as passing, so nothing moves before the probes
 * have spoken.
 *
 * <p>Not thread-safe: the owning front door serialises calls.
 */
public final class Steering {

    private final FrontDoorConfig config;
    private final List<MaintenanceWindow> windows;
    private final Map<String, PathState> paths = new LinkedHashMap<>();
    private PathState active;
    private PathState pinned;
    private Instant lastChange;

    /** Starts on the preferred target, unpinned, with no change made yet. */
    public Steering(FrontDoorConfig config, List<MaintenanceWindow> windows) {
        this.config = config;
        this.windows = List.copyOf(windows);
        for (FrontDoorConfig.Target t : config.targets()) {
            paths.put(t.name(), new PathState(t.name(), t.vendor(), paths.size()));
        }
        this.active = paths.get(config.preferred().name());
    }

    /** The target the record points at. */
    public String active() {
        return active.name;
    }

    /** The target an operator pinned the record to, or {@code null}. */
    public String pinned() {
        return pinned == null ? null : pinned.name;
    }

    /** When the record last changed, or {@code null} when it has not since start. */
    public Instant lastChange() {
        return lastChange;
    }

    /** Takes {@code target} as the active one without counting a change (the record found at start). */
    public void adopt(String target) {
        active = path(target);
    }

    /** Records one probe of {@code target}. */
    public void record(String target, ProbeResult result, Instant at) {
        path(target).record(result, at);
    }

    /** What to do at {@code now}; a move takes effect at once (the returned target is active). */
    public Decision decide(Instant now) {
        for (PathState p : paths.values()) {
            if (drainedBy(p, now).isPresent()) {
                p.lastDrained = now;
            }
        }
        if (pinned != null) {
            return active.failStreak >= config.steering().failAfter()
                    ? Decision.hold(active.name, "pinned", "pinned to " + active.name + " by an operator; not moving: "
                                                           + words(), Health.DOWN)
                    : Decision.stay(active.name);
        }
        Optional<MaintenanceWindow> window = drainedBy(active, now);
        if (window.isPresent()) {
            return drain(window.get(), now);
        }
        if (active.failStreak >= config.steering().failAfter()) {
            return failing(now);
        }
        if (config.failback() == FrontDoorConfig.Failback.AUTO) {
            return failback(now);
        }
        return Decision.stay(active.name);
    }

    private Decision drain(MaintenanceWindow window, Instant now) {
        String what = "maintenance window " + window.name() + " for " + active.name + " "
                      + window.currentOrNext(now).map(o -> o.start().isAfter(now) ? "starts at " + o.start()
                                                                                     : "in progress").orElse("");
        PathState to = firstPassing(now);
        if (to == null) {
            return Decision.hold(active.name, "maintenance", what + ", but no other target passes: " + words(),
                    active.failing() ? Health.DOWN : Health.DEGRADED);
        }
        return moveTo(to, now, "maintenance", what + ": moving to " + to.name + " before it; " + words());
    }

    private Decision failing(Instant now) {
        int failAfter = config.steering().failAfter();
        if (active.pathStreak >= failAfter) {
            PathState to = firstPassing(now);
            String failed = active.name + " failing by its path's fault";
            if (to == null) {
                return Decision.hold(active.name, "no_target_passing",
                        failed + ", but no other target passes; steering would not help: " + words(), Health.DOWN);
            }
            if (damped(now)) {
                return Decision.hold(active.name, "damped", failed + "; would move to " + to.name
                        + " but the record changed " + seconds(Duration.between(lastChange, now)) + " ago (minChangeInterval "
                        + seconds(config.steering().minChangeInterval()) + "): " + words(), Health.DOWN);
            }
            return moveTo(to, now, "path_failed", failed + "; moving to " + to.name + ": " + words());
        }
        if (paths.values().stream().allMatch(p -> p.failing() && p.last.verdict() == PathVerdict.ORIGIN)) {
            return Decision.hold(active.name, "origin_failing", Decision.ORIGIN_FAILING + ": " + words(), Health.DOWN);
        }
        if (paths.values().stream().allMatch(PathState::failing)) {
            return Decision.hold(active.name, "every_target_failing",
                    "every target failing; steering would not help: " + words(), Health.DOWN);
        }
        return Decision.hold(active.name, "not_path", active.name + " failing, but not by its path's fault (the "
                + "origin's errors passed through, or not attributed); not moving: " + words(), Health.DOWN);
    }

    private Decision failback(Instant now) {
        Duration after = config.steering().failbackAfter();
        Instant stableSince = now.minus(after);
        if (lastChange != null && lastChange.isAfter(stableSince)) {
            return Decision.stay(active.name);
        }
        for (PathState p : paths.values()) {
            if (p == active) {
                break;
            }
            if (p.passing() && !p.passingSince.isAfter(stableSince)
                && (p.lastDrained == null || !p.lastDrained.isAfter(stableSince))) {
                if (damped(now)) {
                    return Decision.stay(active.name);
                }
                return moveTo(p, now, "failback", p.name + " passing for " + seconds(Duration.between(p.passingSince,
                        now)) + " (failbackAfter " + seconds(after) + "): moving back from " + active.name + "; "
                        + words());
            }
        }
        return Decision.stay(active.name);
    }

    /**
     * Pins the record to {@code target} until {@link #unpin}: moves there now when it is elsewhere.
     *
     * @throws IllegalArgumentException for an unknown target
     */
    public Decision pin(String target, String who, Instant now) {
        PathState p = path(target);
        pinned = p;
        String reason = "pinned to " + p.name + " by " + who + "; " + words();
        if (p == active) {
            return new Decision(Decision.Kind.STAY, p.name, reason, Health.OK, "pinned");
        }
        return moveTo(p, now, "pinned", reason);
    }

    /** Ends a pin; automatic steering resumes from the pinned target. Returns whether a pin was set. */
    public boolean unpin() {
        boolean was = pinned != null;
        pinned = null;
        return was;
    }

    /**
     * Moves the record to {@code target} now, whatever the probes say; automatic steering goes on from
     * there (failback waits {@code failbackAfter} from this change).
     *
     * @throws IllegalArgumentException for an unknown target
     * @throws IllegalStateException    while pinned to another target
     */
    public Decision force(String target, String who, Instant now) {
        PathState p = path(target);
        if (pinned != null && pinned != p) {
            throw new IllegalStateException("pinned to " + pinned.name + "; unpin first, or pin " + p.name);
        }
        String reason = "moved to " + p.name + " by " + who + "; " + words();
        if (p == active) {
            return new Decision(Decision.Kind.STAY, p.name, "already on " + p.name, Health.OK, "forced");
        }
        return moveTo(p, now, "forced", reason);
    }

    /** Every target's state at {@code now}, in order of preference. */
    public List<TargetStatus> targets(Instant now) {
        List<TargetStatus> out = new ArrayList<>();
        for (PathState p : paths.values()) {
            out.add(new TargetStatus(p.name, p.vendor, p.last == null ? "unknown" : p.passing() ? "passing" : "failing",
                    p.last, p.lastAt, p.failStreak, p.passingSince,
                    drainedBy(p, now).map(MaintenanceWindow::name).orElse(null)));
        }
        return out;
    }

    private Decision moveTo(PathState to, Instant now, String cause, String reason) {
        active = to;
        lastChange = now;
        return Decision.move(to.name, cause, reason);
    }

    /** The first passing target other than the active one, in order of preference, not drained. */
    private PathState firstPassing(Instant now) {
        return paths.values().stream().filter(p -> p != active && p.passing() && drainedBy(p, now).isEmpty())
                .findFirst().orElse(null);
    }

    private boolean damped(Instant now) {
        return lastChange != null && lastChange.plus(config.steering().minChangeInterval()).isAfter(now);
    }

    private Optional<MaintenanceWindow> drainedBy(PathState p, Instant now) {
        String subject = Subject.frontDoorTarget(config.name(), p.name, p.vendor).id();
        return windows.stream().filter(w -> (w.subject() != null || p.vendor != null) && w.covers(subject, p.vendor)
                                            && w.drainsAt(now)).findFirst();
    }

    private PathState path(String target) {
        PathState p = paths.get(target);
        if (p == null) {
            throw new IllegalArgumentException("no target " + target + " in front door " + config.name()
                                               + " (targets: " + String.join(", ", paths.keySet()) + ")");
        }
        return p;
    }

    /** Every target's probes in words, in order of preference. */
    private String words() {
        return paths.values().stream().map(PathState::words).collect(Collectors.joining("; "));
    }

    /** {@code 30s}, {@code 10.7s}, {@code 500ms}. */
    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms < 1000 ? ms + "ms"
                : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
