package dev.outlast.server;

import dev.outlast.config.MaintenanceWindow;
import dev.outlast.health.EndpointHealth;
import dev.outlast.monitor.Subject;
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.site.Origin;
import dev.outlast.site.Site;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance windows applied to traffic: chain upstreams and site origins whose window (by subject
 * id, or by the vendor configured in front of them) is near or in progress are drained, and restored
 * after it. Once {@link #start}ed it looks every 5 s; it restores only what it drained itself.
 *
 * <p>Thread-safe.
 */
final class MaintenanceDrains implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceDrains.class);
    private static final Duration EVERY = Duration.ofSeconds(5);

    /** A subject whose traffic a maintenance window can drain. */
    private record Drainable(Subject subject, EndpointHealth health) {
    }

    private final List<MaintenanceWindow> windows;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final List<Drainable> drainables;
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> task;

    MaintenanceDrains(List<MaintenanceWindow> windows, Clock clock, ScheduledExecutorService scheduler,
                      Collection<Chain> chains, Collection<Site> sites) {
        this.windows = List.copyOf(windows);
        this.clock = clock;
        this.scheduler = scheduler;
        List<Drainable> list = new ArrayList<>();
        for (Chain c : chains) {
            Map<String, String> vendors = vendorsByName(c.config().upstreams(), u -> u.name(), u -> u.vendor());
            for (ChainUpstream u : c.upstreams()) {
                list.add(new Drainable(Subject.chainUpstream(c.id(), u.name(), vendors.get(u.name())),
                                       u.health().endpoint()));
            }
        }
        for (Site site : sites) {
            Map<String, String> vendors = vendorsByName(site.config().origins(), o -> o.name(), o -> o.vendor());
            for (Origin o : site.origins()) {
                list.add(new Drainable(Subject.siteOrigin(site.id(), o.name(), vendors.get(o.name())), o.health()));
            }
        }
        this.drainables = List.copyOf(list);
    }

    /** The configured {@code vendor:} of each named upstream or origin that has one. */
    private static <T> Map<String, String> vendorsByName(List<T> configs, Function<T, String> name,
                                                         Function<T, String> vendor) {
        Map<String, String> vendors = new HashMap<>();
        for (T c : configs) {
            if (vendor.apply(c) != null) {
                vendors.put(name.apply(c), vendor.apply(c));
            }
        }
        return vendors;
    }

    /** Applies the windows now, then every 5 s. */
    synchronized void start() {
        apply();
        task = scheduler.scheduleWithFixedDelay(this::applyLogged, EVERY.toMillis(), EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void applyLogged() {
        try {
            apply();
        } catch (RuntimeException e) {
            log.warn("maintenance: applying the windows failed", e);
        }
    }

    void apply() {
        Instant now = clock.instant();
        for (Drainable d : drainables) {
            String id = d.subject().id();
            Optional<MaintenanceWindow> window = windows.stream()
                    .filter(w -> (w.subject() != null || d.subject().vendor() != null)
                                 && w.covers(id, d.subject().vendor()) && w.drainsAt(now))
                    .findFirst();
            if (window.isPresent() && !d.health().isDrained()) {
                d.health().drain("maintenance window " + window.get().name());
                drained.add(id);
                log.info("maintenance: drained {} for window {}", id, window.get().name());
            } else if (window.isEmpty() && drained.remove(id)) {
                d.health().restore();
                log.info("maintenance: restored {}", id);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
