package dev.outlast.server;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.admin.MonitoringView;
import dev.outlast.config.ChainConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OriginConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ProbeConfig;
import dev.outlast.config.SiteConfig;
import dev.outlast.config.UpstreamConfig;
import dev.outlast.frontdoor.FrontDoorListener;
import dev.outlast.incident.IncidentBook;
import dev.outlast.incident.IncidentView;
import dev.outlast.incident.WebhookNotifier;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Monitor;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import dev.outlast.monitor.SubjectView;
import dev.outlast.monitor.probe.Probe;
import dev.outlast.monitor.probe.Probes;
import dev.outlast.routing.RoutingListener;
import dev.outlast.site.OriginFailure;
import dev.outlast.site.SiteListener;
import dev.outlast.store.HistoryStore;
import dev.outlast.store.Uptime;
import dev.outlast.time.Ticker;
import dev.outlast.transport.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitoring, incidents, alerts and history for one running server: live traffic
 * ({@link #routingListener}, {@link #siteListener}) and probes feed the monitor, whose transitions
 * open, update and resolve incidents, which go out as alerts and into the history store.
 *
 * <p>Every chain upstream is a subject with no extra configuration: user calls and the chain's own
 * head and chain-id polls (its built-in active checks) are its observations, and a chain id that
 * does not match holds it down as a fault. Every site origin is one too, observed from live
 * attempts and the site's health checks. Both carry the {@code vendor:} configured in front of
 * them. Configured probes add subjects of their own, and so does every front door's target
 * ({@link #frontDoorListener}). Alerts for a subject or vendor in a
 * maintenance window are muted ({@link MaintenanceDrains} drains its traffic). Background work once
 * {@link #start}ed: alert ticks every second, history flushes every 10 s, pruning hourly, each
 * probe at its interval.
 *
 * <p>Everything is built by the constructor, from the configuration alone, before the chains and
 * sites it watches exist (they take its listeners). It registers {@code outlast_incidents_open},
 * {@code outlast_alerts_total{outcome}} and {@code outlast_monitor_state{subject, kind, state}}.
 *
 * <p>Thread-safe.
 */
public final class Monitoring implements MonitoringView, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(10);

    private final OpsConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking;
    private final History history;
    private final Monitor monitor;
    private final IncidentBook book;
    private final WebhookNotifier notifier;
    /** Chain upstreams and site origins by id, as configured (with their vendor). */
    private final Map<String, Subject> configured;
    private final List<Probe> probes;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    /**
     * @param store    the history store, closed by {@link #close}
     * @param factory  the client of probes and webhooks
     * @param registry where the monitoring metrics go
     */
    public Monitoring(OutlastConfig config, HistoryStore store, ClientFactory factory,
                      ScheduledExecutorService scheduler, Clock clock, MeterRegistry registry) {
        this.config = config.ops();
        this.clock = clock;
        this.scheduler = scheduler;
        this.blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "outlast-probe");
            t.setDaemon(true);
            return t;
        });
        this.history = new History(store, clock);
        this.notifier = new WebhookNotifier(this.config.alerts(), factory, scheduler, clock);
        this.book = new IncidentBook(this.config.monitoring(), clock, this::mutedBy, notifier, history::save);
        this.monitor = new Monitor(this.config.monitoring(), clock, book);
        List<Probe> list = new ArrayList<>();
        for (ProbeConfig p : this.config.monitoring().probes()) {
            Probe probe = Probes.create(p, factory, blocking, Ticker.system(), clock);
            list.add(probe);
            monitor.register(probe.subject());
        }
        this.probes = List.copyOf(list);
        Map<String, Subject> byId = new HashMap<>();
        for (ChainConfig c : config.chains()) {
            for (UpstreamConfig u : c.upstreams()) {
                know(byId, Subject.chainUpstream(c.id(), u.name(), u.vendor()));
            }
        }
        for (SiteConfig s : config.sites()) {
            for (OriginConfig o : s.origins()) {
                know(byId, Subject.siteOrigin(s.id(), o.name(), o.vendor()));
            }
        }
        for (FrontDoorConfig d : config.frontDoors()) {
            for (FrontDoorConfig.Target t : d.targets()) {
                know(byId, Subject.frontDoorTarget(d.name(), t.name(), t.vendor()));
            }
        }
        this.configured = Map.copyOf(byId);
        bindMetrics(registry);
    }

    /** The subject as configured (with its vendor) when it is known, else {@code plain}. */
    private Subject known(Subject plain) {
        return configured.getOrDefault(plain.id(), plain);
    }

    /** Feeds every upstream reply, quarantine and chain-id check into the monitor. Never blocks. */
    public RoutingListener routingListener() {
        return new RoutingListener() {
            @Override
            public void onUpstreamReply(String chain, String method, UpstreamReply reply) {
                monitor.observe(known(Subject.chainUpstream(chain, reply.upstream())), Observation.of(reply));
            }

            @Override
            public void onQuarantine(String chain, String upstream, String why) {
                monitor.observe(known(Subject.chainUpstream(chain, upstream)),
                        Observation.failure(FailureKind.WRONG_ANSWER.label(), why, null, null, 0));
            }

            @Override
            public void onChainIdCheck(String chain, String upstream, String mismatch) {
                Subject subject = known(Subject.chainUpstream(chain, upstream));
                if (mismatch == null) {
                    monitor.clearFault(subject);
                } else {
                    monitor.fault(subject, mismatch);
                }
            }
        };
    }

    /** Site origins, watched from live attempts and active checks, each a subject {@code site/<site>/<origin>}. */
    public SiteListener siteListener() {
        return new SiteListener() {
            @Override
            public void onOriginObserved(String site, String origin, OriginFailure failure, long nanos) {
                double ms = nanos / 1e6;
                monitor.observe(known(Subject.siteOrigin(site, origin)), failure == null ? Observation.success(ms)
                        : Observation.failure(failure.kind().label(), failure.detail(),
                                failure.attribution().known() ? failure.attribution().vendor() : null,
                                failure.attribution().source(), failure.attribution().location(), ms));
            }
        };
    }

    /**
     * Front doors' probes into the monitor (subjects {@code frontdoor/<name>/<target>}), and their moves,
     * holds and DNS provider failures onto the incident of {@code frontdoor/<name>}, alerted at once.
     */
    public FrontDoorListener frontDoorListener() {
        return new FrontDoorListener() {
            @Override
            public void onProbe(Subject target, Observation observation) {
                monitor.observe(known(target), observation);
            }

            @Override
            public void onEvent(Subject frontDoor, Health severity, String type, String message) {
                book.note(frontDoor, severity, type, message);
            }

            @Override
            public void onSettled(Subject frontDoor, String why) {
                book.resolve(frontDoor, why);
            }
        };
    }

    private void know(Map<String, Subject> byId, Subject subject) {
        byId.put(subject.id(), subject);
        monitor.register(subject);
    }

    private void bindMetrics(MeterRegistry registry) {
        Gauge.builder("outlast_incidents_open", book, b -> b.open().stream().filter(i -> i.parentId() == null).count())
                .description("open top-level incidents (a vendor incident counts once)").register(registry);
        FunctionCounter.builder("outlast_alerts_total", notifier, WebhookNotifier::delivered)
                .description("alert deliveries per receiver").tag("outcome", "delivered").register(registry);
        FunctionCounter.builder("outlast_alerts_total", notifier, WebhookNotifier::failed)
                .description("alert deliveries per receiver").tag("outcome", "failed").register(registry);
        for (SubjectView v : monitor.views()) {
            String id = v.subject().id();
            for (Health h : Health.values()) {
                Gauge.builder("outlast_monitor_state", monitor,
                                m -> m.view(id).map(x -> x.health() == h ? 1 : 0).orElse(0))
                        .description("1 for the monitor's current state of the subject")
                        .tags("subject", id, "kind", v.subject().kind().label(), "state", h.label()).register(registry);
            }
        }
    }

    /** Starts the background work and the probes. */
    public synchronized void start() {
        history.closeDangling();
        history.refresh();
        every(Duration.ofSeconds(1), book::tick);
        every(FLUSH_EVERY, () -> history.flush(monitor.drainSamples()));
        every(Duration.ofHours(1), () -> history.prune(config.monitoring().retention()));
        for (Probe probe : probes) {
            every(probe.config().interval(), () -> probe.run().thenAccept(o -> monitor.observe(probe.subject(), o)));
        }
    }

    private void every(Duration period, Runnable task) {
        tasks.add(scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("monitoring task failed", e);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS));
    }

    private Optional<String> mutedBy(String subjectId, String vendorLabel, Instant now) {
        return config.maintenance().stream().filter(w -> w.covers(subjectId, vendorLabel) && w.activeAt(now))
                .map(MaintenanceWindow::name).findFirst();
    }

    History history() {
        return history;
    }

    @Override
    public List<IncidentView> incidents() {
        List<IncidentView> open = book.open();
        Map<String, IncidentView> resolved = new LinkedHashMap<>();
        book.resolved().forEach(i -> resolved.put(i.id(), i));
        Set<String> openIds = new HashSet<>();
        open.forEach(i -> openIds.add(i.id()));
        for (IncidentView i : history.cached().incidents()) {
            if (!openIds.contains(i.id()) && !i.open()) {
                resolved.putIfAbsent(i.id(), i);
            }
        }
        List<IncidentView> out = new ArrayList<>(open);
        resolved.values().stream().sorted(Comparator.comparing(IncidentView::openedAt).reversed()).forEach(out::add);
        return out;
    }

    @Override
    public Optional<IncidentView> acknowledge(String id, String who) {
        return book.acknowledge(id, who);
    }

    @Override
    public List<SubjectView> subjects() {
        return monitor.views();
    }

    @Override
    public Map<String, List<Uptime>> uptime() {
        return history.cached().uptime();
    }

    /** Waits until pending history writes are done and the cached history is fresh (for tests). */
    public void syncHistory() {
        history.flush(monitor.drainSamples());
        history.sync();
    }

    @Override
    public synchronized void close() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
        history.flush(monitor.drainSamples());
        history.close();
        blocking.shutdownNow();
    }
}
