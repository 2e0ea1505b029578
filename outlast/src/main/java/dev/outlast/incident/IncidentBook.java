package dev.outlast.incident;

import dev.outlast.attribution.Source;
import dev.outlast.attribution.Vendor;
import dev.outlast.config.MonitoringConfig;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Monitor;
import dev.outlast.monitor.Subject;
import dev.outlast.monitor.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Opens, updates, groups and resolves incidents from the monitor's transitions, and decides which
 * alerts go out.
 *
 * <h2>Implementation note</h2>
 * One open incident per subject at most: a subject leaving ok opens one, changes while failing
 * update it (state, attributed vendor, edge locations, each a timeline entry), and its return to
 * ok resolves it. When {@code vendorGroupMin} subjects have open incidents attributed to the same
 * known vendor, a vendor incident (subject kind {@code vendor}) is opened as their parent; later
 * incidents of that vendor join it while it is open, and it resolves when its last child does.
 * <p>Alerts go out for top-level incidents only. An incident's open alert waits
 * {@code groupWait} ({@link #tick} sends it when due), so subjects that fail together are grouped
 * before anyone is paged; an incident that resolves within that wait never alerts, and a child
 * grouped within it never alerts on its own. A change of vendor alerts only after the open alert
 * went out; a resolve alerts only if the open one did. An incident whose subject or vendor is in a
 * maintenance window when its alert is due is muted for its whole life.
 * <p>It deliberately does not move a child to another vendor's group when its attribution changes.
 *
 * <p>Thread-safe: all state is guarded by this object; alerts and persistence callbacks are made
 * outside the lock and must not block.
 */
public final class IncidentBook implements Monitor.Listener {

    /** Whether alerts for a subject are muted now, and by which maintenance window. */
    @FunctionalInterface
    public interface Muting {
        /** The name of the window muting {@code subjectId} (with vendor {@code vendorLabel}, may be null), if any. */
        Optional<String> mutedBy(String subjectId, String vendorLabel, Instant now);

        Muting NONE = (subject, vendor, now) -> Optional.empty();
    }

    private static final int KEEP_RESOLVED = 200;

    private final MonitoringConfig config;
    private final Clock clock;
    private final Muting muting;
    private final Consumer<Alert> alerts;
    private final Consumer<IncidentView> persist;
    private final Map<String, Incident> openBySubject = new LinkedHashMap<>();
    private final Map<Vendor, Incident> openParents = new HashMap<>();
    private final Map<String, Incident> byId = new HashMap<>();
    private final Deque<Incident> resolved = new ArrayDeque<>();
    private long sequence;
    /** Distinguishes this run's ids from a previous run's in the same second. */
    private final String run = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36,
            36L * 36 * 36 * 36), 36);

    /**
     * @param alerts  receives every alert to send; called outside the lock, must not block
     * @param persist receives every changed incident; called outside the lock, must not block
     */
    public IncidentBook(MonitoringConfig config, Clock clock, Muting muting, Consumer<Alert> alerts,
                        Consumer<IncidentView> persist) {
        this.config = config;
        this.clock = clock;
        this.muting = muting;
        this.alerts = alerts;
        this.persist = persist;
    }

    @Override
    public void onTransition(Transition t) {
        List<Alert> out = new ArrayList<>();
        Set<Incident> changed = new LinkedHashSet<>();
        synchronized (this) {
            Incident incident = openBySubject.get(t.subject().id());
            if (t.to() != Health.OK) {
                if (incident == null) {
                    incident = open(t);
                } else {
                    update(incident, t, out);
                }
                changed.add(incident);
                group(incident, changed);
            } else if (incident != null) {
                resolve(incident, t.at(), "recovered", out, changed);
            }
        }
        finish(out, changed);
    }

    private Incident open(Transition t) {
        Incident incident = new Incident(nextId(t.at()), t.subject(), t.to(), t.at());
        incident.log(t.at(), "opened", t.subject().id() + " " + t.to().label() + ": " + t.reason());
        incident.alertDue = t.at().plus(config.groupWait());
        incident.locations.addAll(t.locations());
        if (t.vendor() != Vendor.UNKNOWN) {
            incident.vendor = t.vendor();
            incident.source = t.source();
            incident.log(t.at(), "attributed", vendorWords(t, incident));
        }
        openBySubject.put(t.subject().id(), incident);
        byId.put(incident.id, incident);
        return incident;
    }

    private void update(Incident incident, Transition t, List<Alert> out) {
        if (t.isStateChange()) {
            if (t.to().ordinal() > incident.severity.ordinal()) {
                incident.severity = t.to();
            }
            incident.log(t.at(), "updated", t.from().label() + " -> " + t.to().label() + ": " + t.reason());
        }
        boolean newLocations = incident.locations.addAll(t.locations());
        if (t.vendor() != Vendor.UNKNOWN && t.vendor() != incident.vendor) {
            Vendor before = incident.vendor;
            incident.vendor = t.vendor();
            incident.source = t.source();
            incident.log(t.at(), "attributed", vendorWords(t, incident)
                    + (before == Vendor.UNKNOWN ? "" : " (was " + before.displayName() + ")"));
            if (incident.parent == null && incident.alerted && !incident.muted && incident.alertedVendor != t.vendor()) {
                incident.alertedVendor = t.vendor();
                out.add(new Alert(Alert.Event.VENDOR_CHANGED, incident.view()));
            }
        } else if (t.vendor() == incident.vendor && t.attributed() && t.source() != Source.UNKNOWN
                   && t.source() != incident.source) {
            incident.source = t.source();
            incident.log(t.at(), "attributed", vendorWords(t, incident));
        } else if (newLocations) {
            incident.log(t.at(), "updated", "edge locations: " + String.join(", ", incident.locations));
        }
        if (newLocations && incident.parent != null) {
            incident.parent.locations.addAll(t.locations());
        }
    }

    private void group(Incident incident, Set<Incident> changed) {
        Vendor vendor = incident.vendor;
        if (vendor == Vendor.UNKNOWN || incident.parent != null) {
            return;
        }
        Instant now = clock.instant();
        Incident parent = openParents.get(vendor);
        if (parent != null) {
            adopt(parent, incident, now);
            changed.add(parent);
            return;
        }
        List<Incident> same = openBySubject.values().stream()
                .filter(i -> i.vendor == vendor && i.parent == null && i.subject.kind() != Subject.Kind.VENDOR)
                .toList();
        if (same.size() < config.vendorGroupMin()) {
            return;
        }
        Subject subject = Subject.vendor(vendor.label());
        parent = new Incident(nextId(now), subject, Health.DOWN, now);
        parent.vendor = vendor;
        // Edge or origin: said for the group only when every member says the same.
        parent.source = same.stream().map(i -> i.source).distinct().count() == 1 ? same.get(0).source : Source.UNKNOWN;
        parent.alertDue = now;
        parent.log(now, "opened", same.size() + " subjects failing with " + vendor.displayName() + ": "
                + String.join(", ", same.stream().map(i -> i.subject.id()).toList()));
        for (Incident child : same) {
            adopt(parent, child, now);
            changed.add(child);
        }
        parent.log(now, "attributed", attributedWords(vendor, parent.locations));
        openParents.put(vendor, parent);
        openBySubject.put(subject.id(), parent);
        byId.put(parent.id, parent);
        changed.add(parent);
    }

    private void adopt(Incident parent, Incident child, Instant now) {
        child.parent = parent;
        parent.children.add(child);
        parent.locations.addAll(child.locations);
        child.log(now, "updated", "grouped under vendor incident " + parent.id);
        if (parent.children.size() > 1 || !parent.timeline.isEmpty()) {
            parent.log(now, "updated", child.subject.id() + " joined (" + child.severity.label() + ")");
        }
    }

    private void resolve(Incident incident, Instant at, String why, List<Alert> out, Set<Incident> changed) {
        incident.resolvedAt = at;
        incident.log(at, "resolved", why + " after " + words(Duration.between(incident.openedAt, at)));
        openBySubject.remove(incident.subject.id());
        if (incident.subject.kind() == Subject.Kind.VENDOR) {
            openParents.remove(incident.vendor);
        }
        remember(incident);
        changed.add(incident);
        if (incident.parent == null && incident.alerted && !incident.muted) {
            out.add(new Alert(Alert.Event.RESOLVED, incident.view()));
        }
        Incident parent = incident.parent;
        if (parent != null && parent.isOpen()) {
            parent.log(at, "updated", incident.subject.id() + " recovered");
            changed.add(parent);
            if (parent.children.stream().noneMatch(Incident::isOpen)) {
                resolve(parent, at, "all " + parent.children.size() + " subjects recovered", out, changed);
            }
        }
    }

    private void remember(Incident incident) {
        resolved.addFirst(incident);
        while (resolved.size() > KEEP_RESOLVED) {
            byId.remove(resolved.removeLast().id);
        }
    }

    /** Sends the open alerts that are due; call every second or so. */
    public void tick() {
        List<Alert> out = new ArrayList<>();
        Set<Incident> changed = new LinkedHashSet<>();
        Instant now = clock.instant();
        synchronized (this) {
            for (Incident incident : openBySubject.values()) {
                if (incident.alerted || incident.parent != null || now.isBefore(incident.alertDue)) {
                    continue;
                }
                incident.alerted = true;
                Optional<String> window = muting.mutedBy(incident.subject.id(), incident.vendor == Vendor.UNKNOWN
                        ? incident.subject.vendor() : incident.vendor.label(), now);
                if (window.isPresent()) {
                    incident.muted = true;
                    incident.log(now, "muted", "alerts muted by maintenance window " + window.get());
                    changed.add(incident);
                } else {
                    incident.alertedVendor = incident.vendor;
                    out.add(new Alert(Alert.Event.OPENED, incident.view()));
                }
            }
        }
        finish(out, changed);
    }

    /**
     * Writes an event decided outside the monitor (a front door's record moved, say) on the timeline of
     * {@code subject}'s open incident, opening one at {@code severity} when it has none, and alerts it
     * at once unless a maintenance window mutes the subject.
     *
     * @param type the timeline entry's type, such as {@code moved}
     */
    public void note(Subject subject, Health severity, String type, String message) {
        List<Alert> out = new ArrayList<>();
        Set<Incident> changed = new LinkedHashSet<>();
        synchronized (this) {
            Instant now = clock.instant();
            Incident incident = openBySubject.get(subject.id());
            if (incident == null) {
                incident = new Incident(nextId(now), subject, severity, now);
                incident.alerted = true;
                openBySubject.put(subject.id(), incident);
                byId.put(incident.id, incident);
            } else if (severity.ordinal() > incident.severity.ordinal()) {
                incident.severity = severity;
            }
            incident.log(now, type, message);
            changed.add(incident);
            Optional<String> window = muting.mutedBy(subject.id(), subject.vendor(), now);
            if (window.isPresent() && !incident.muted) {
                incident.muted = true;
                incident.log(now, "muted", "alerts muted by maintenance window " + window.get());
            } else if (window.isEmpty() && !incident.muted) {
                out.add(new Alert(Alert.Event.NOTE, incident.view()));
            }
        }
        finish(out, changed);
    }

    /** Resolves {@code subject}'s open incident, if any, saying {@code why}. */
    public void resolve(Subject subject, String why) {
        List<Alert> out = new ArrayList<>();
        Set<Incident> changed = new LinkedHashSet<>();
        synchronized (this) {
            Incident incident = openBySubject.get(subject.id());
            if (incident == null) {
                return;
            }
            resolve(incident, clock.instant(), why, out, changed);
        }
        finish(out, changed);
    }

    /** Records that {@code who} acknowledged incident {@code id}; empty when there is no such incident. */
    public Optional<IncidentView> acknowledge(String id, String who) {
        IncidentView view;
        synchronized (this) {
            Incident incident = byId.get(id);
            if (incident == null) {
                return Optional.empty();
            }
            incident.acknowledgedBy = who;
            incident.log(clock.instant(), "acknowledged", "acknowledged by " + who);
            view = incident.view();
        }
        persist.accept(view);
        return Optional.of(view);
    }

    /** Open incidents, oldest first. */
    public synchronized List<IncidentView> open() {
        return openBySubject.values().stream().sorted(Comparator.comparing((Incident i) -> i.openedAt))
                .map(Incident::view).toList();
    }

    /** Incidents resolved since start, newest first (at most {@value #KEEP_RESOLVED}). */
    public synchronized List<IncidentView> resolved() {
        return resolved.stream().map(Incident::view).toList();
    }

    public synchronized Optional<IncidentView> get(String id) {
        return Optional.ofNullable(byId.get(id)).map(Incident::view);
    }

    private void finish(List<Alert> out, Set<Incident> changed) {
        List<IncidentView> views;
        synchronized (this) {
            views = changed.stream().map(Incident::view).toList();
        }
        views.forEach(persist);
        out.forEach(alerts);
    }

    private String nextId(Instant at) {
        return "inc-" + at.getEpochSecond() + "-" + run + "-" + (++sequence);
    }

    /**
     * {@code attributed to Cloudflare (edge) at FRA}, {@code attributed to the origin behind Cloudflare
     * (via FRA)}; says when attribution disagrees with the configured vendor, and when the vendor is
     * only the configured one.
     */
    private static String vendorWords(Transition t, Incident incident) {
        String configured = t.subject().vendor();
        if (!t.attributed()) {
            return "vendor " + t.vendor().displayName() + " (configured; not seen in failed responses yet)";
        }
        String words = "attributed to " + IncidentView.where(t.vendor(), t.source(), incident.locations)
                .replaceFirst("^origin behind", "the origin behind");
        if (configured != null && !configured.equalsIgnoreCase(t.vendor().label())) {
            Vendor c = dev.outlast.monitor.Observation.vendorOf(configured);
            words += "; attribution wins over the configured vendor "
                     + (c == Vendor.UNKNOWN ? configured : c.displayName());
        }
        return words;
    }

    private static String attributedWords(Vendor vendor, Set<String> locations) {
        return "attributed to " + vendor.displayName()
                + (locations.isEmpty() ? "" : " at " + String.join(", ", locations));
    }

    /** {@code 4m 12s}, {@code 1h 3m}, {@code 45s}. */
    public static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }
}
