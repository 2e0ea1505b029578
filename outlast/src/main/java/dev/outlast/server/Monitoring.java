package dev.outlast.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.server.ServerBuilder;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.ProbeConfig;
import dev.outlast.health.UpstreamHealth;
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
import dev.outlast.routing.Chain;
import dev.outlast.routing.ChainUpstream;
import dev.outlast.routing.RoutingListener;
import dev.outlast.site.Origin;
import dev.outlast.site.Site;
import dev.outlast.store.HistoryStore;
import dev.outlast.time.Ticker;
import dev.outlast.upstream.FailureKind;
import dev.outlast.upstream.UpstreamReply;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitoring, incidents, alerts, history and maintenance for one running server, behind a small
 * surface: {@link #create} (opens the history store), {@link #routingListener} and
 * {@link #siteListener} (live traffic in), {@link #attach} (the chains), {@link #attachSites} (the
 * sites), {@link #routes} (API and events), {@link #start} and {@link #close}.
 *
 * <p>Every chain upstream is a subject with no extra configuration: user calls and the chain's own
 * head and chain-id polls (its built-in active checks) are its observations, and a chain id that
 * does not match holds it down as a fault. Every site origin is one too, observed from live
 * attempts and the site's health checks. Both carry the {@code vendor:} configured in front of
 * them. Configured probes add subjects of their own. Maintenance windows drain chain upstreams and
 * site origins alike, by subject id or by configured vendor. Background work: alert ticks and live
 * pushes every second, maintenance drains every 5 s, history flushes every 10 s, pruning hourly.
 *
 * <p>Thread-safe.
 */
public final class Monitoring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(10);

    private final OpsConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking;
    private final History history;
    private final Monitor monitor;
    private final IncidentBook book;
    private final WebhookNotifier notifier;
    private final List<Probe> probes = new ArrayList<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final Set<String> maintenanceDrained = ConcurrentHashMap.newKeySet();
    private final LiveEvents live;
    private volatile Map<String, Chain> chains = Map.of();
    private volatile Map<String, Site> sites = Map.of();
    /** Chain upstreams and site origins: what maintenance windows drain. */
    private volatile List<Drainable> drainables = List.of();
    /** The subjects of {@link #drainables} by id, as configured (with their vendor). */
    private volatile Map<String, Subject> configured = Map.of();
    private volatile Supplier<String> chainsHtml = () -> "";

    private Monitoring(OpsConfig config, ClientFactory factory, ScheduledExecutorService scheduler, Clock clock,
                       HistoryStore store) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "outlast-probe");
            t.setDaemon(true);
            return t;
        });
        this.history = new History(store, clock);
        this.notifier = new WebhookNotifier(config.alerts(), factory, scheduler, clock);
        this.book = new IncidentBook(config.monitoring(), clock, this::mutedBy, notifier, history::save);
        this.monitor = new Monitor(config.monitoring(), clock, book);
        for (ProbeConfig p : config.monitoring().probes()) {
            Probe probe = Probes.create(p, factory, blocking, Ticker.system(), clock);
            probes.add(probe);
            monitor.register(probe.subject());
        }
        this.live = new LiveEvents(this::livePayload);
    }

    /**
     * Opens the history store and builds everything; nothing runs until {@link #start}.
     *
     * @throws dev.outlast.store.StoreException when the store cannot be opened
     */
    public static Monitoring create(OpsConfig config, ClientFactory factory, ScheduledExecutorService scheduler,
                                    Clock clock) {
        HistoryStore store = HistoryStore.open(config.storage());
        log.info("history in {}", store.description());
        return new Monitoring(config, factory, scheduler, clock, store);
    }

    /** Feeds every upstream reply and quarantine into the monitor. Never blocks. */
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

    /** The subject as configured (with its vendor) when it is known, else {@code plain}. */
    private Subject known(Subject plain) {
        return configured.getOrDefault(plain.id(), plain);
    }

    /** Site origins, watched from live attempts and active checks, each a subject {@code site/<site>/<origin>}. */
    public dev.outlast.site.SiteListener siteListener() {
        return new dev.outlast.site.SiteListener() {
            @Override
            public void onOriginObserved(String site, String origin, dev.outlast.site.OriginFailure failure,
                                         long nanos) {
                double ms = nanos / 1e6;
                monitor.observe(known(Subject.siteOrigin(site, origin)), failure == null ? Observation.success(ms)
                        : Observation.failure(failure.kind().label(), failure.detail(),
                                failure.attribution().known() ? failure.attribution().vendor() : null,
                                failure.attribution().source(), failure.attribution().location(), ms));
            }
        };
    }

    /**
     * Records one outcome for a subject fed by another feature (site origins, for example); chain
     * upstreams and probes are fed here already. Never blocks.
     */
    public void observe(Subject subject, Observation observation) {
        monitor.observe(subject, observation);
    }

    /** The chains whose upstreams are monitored and can be drained; {@code html} renders them for the status page. */
    public void attach(Map<String, Chain> served, Supplier<String> html) {
        this.chains = Map.copyOf(served);
        this.chainsHtml = html;
        List<Drainable> list = new ArrayList<>();
        for (Chain c : served.values()) {
            Map<String, String> vendors = vendorsByName(c.config().upstreams(), u -> u.name(), u -> u.vendor());
            for (ChainUpstream u : c.upstreams()) {
                list.add(new Drainable(Subject.chainUpstream(c.id(), u.name(), vendors.get(u.name())), u.health()));
            }
        }
        know(Subject.Kind.CHAIN_UPSTREAM, list);
    }

    /** The configured {@code vendor:} of each named upstream or origin that has one. */
    private static <T> Map<String, String> vendorsByName(List<T> configs, java.util.function.Function<T, String> name,
                                                         java.util.function.Function<T, String> vendor) {
        Map<String, String> vendors = new java.util.HashMap<>();
        for (T c : configs) {
            if (vendor.apply(c) != null) {
                vendors.put(name.apply(c), vendor.apply(c));
            }
        }
        return vendors;
    }

    /** The sites whose origins are monitored, drained by maintenance windows and shown on the status page. */
    public void attachSites(Map<String, Site> served) {
        this.sites = Map.copyOf(served);
        List<Drainable> list = new ArrayList<>();
        for (Site site : served.values()) {
            Map<String, String> vendors = vendorsByName(site.config().origins(), o -> o.name(), o -> o.vendor());
            for (Origin o : site.origins()) {
                list.add(new Drainable(Subject.siteOrigin(site.id(), o.name(), vendors.get(o.name())), o.health()));
            }
        }
        know(Subject.Kind.SITE_ORIGIN, list);
    }

    /** Replaces the drainable subjects of {@code kind} with {@code added} and registers them with the monitor. */
    private synchronized void know(Subject.Kind kind, List<Drainable> added) {
        List<Drainable> list = new ArrayList<>(drainables.stream().filter(d -> d.subject().kind() != kind).toList());
        list.addAll(added);
        drainables = List.copyOf(list);
        Map<String, Subject> byId = new java.util.HashMap<>();
        for (Drainable d : list) {
            byId.put(d.subject().id(), d.subject());
            monitor.register(d.subject());
        }
        configured = Map.copyOf(byId);
    }

    /**
     * Registers {@code outlast_incidents_open}, {@code outlast_alerts_total{outcome}} and
     * {@code outlast_monitor_state{subject, state}} (for the subjects known now: call after {@link #attach}).
     */
    public void bindMetrics(MeterRegistry registry) {
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

    /** Adds the incidents, monitors and admin API and {@code /status/events}. */
    public void routes(ServerBuilder sb) {
        new OpsApi(this, new Bearer(config.adminToken())).routes(sb);
        sb.service("/status/events", (ctx, req) -> live.subscribe(ctx));
    }

    /** Starts the background work and the probes. */
    public synchronized void start() {
        history.closeDangling();
        history.refresh();
        every(Duration.ofSeconds(1), () -> {
            book.tick();
            live.push();
        });
        every(Duration.ofSeconds(15), live::heartbeat);
        every(Duration.ofSeconds(5), this::applyMaintenance);
        every(FLUSH_EVERY, () -> history.flush(monitor.drainSamples()));
        every(Duration.ofHours(1), () -> history.prune(config.monitoring().retention()));
        for (Probe probe : probes) {
            every(probe.config().interval(), () -> probe.run().thenAccept(o -> monitor.observe(probe.subject(), o)));
        }
        applyMaintenance();
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

    /**
     * Drains chain upstreams and site origins whose maintenance window (by subject id, or by the
     * vendor configured in front of them) is near or in progress, and restores them after it.
     */
    void applyMaintenance() {
        Instant now = clock.instant();
        for (Drainable d : drainables) {
            String id = d.subject().id();
            Optional<MaintenanceWindow> window = config.maintenance().stream()
                    .filter(w -> (w.subject() != null || d.subject().vendor() != null)
                                 && w.covers(id, d.subject().vendor()) && w.drainsAt(now))
                    .findFirst();
            if (window.isPresent() && !d.health().isDrained()) {
                d.health().drain("maintenance window " + window.get().name());
                maintenanceDrained.add(id);
                log.info("maintenance: drained {} for window {}", id, window.get().name());
            } else if (window.isEmpty() && maintenanceDrained.remove(id)) {
                d.health().restore();
                log.info("maintenance: restored {}", id);
            }
        }
    }

    /** A subject whose traffic a maintenance window can drain. */
    private record Drainable(Subject subject, UpstreamHealth health) {
    }

    private Optional<String> mutedBy(String subjectId, String vendorLabel, Instant now) {
        return config.maintenance().stream().filter(w -> w.covers(subjectId, vendorLabel) && w.activeAt(now))
                .map(MaintenanceWindow::name).findFirst();
    }

    Monitor monitor() {
        return monitor;
    }

    IncidentBook book() {
        return book;
    }

    Clock clock() {
        return clock;
    }

    History history() {
        return history;
    }

    Optional<ChainUpstream> upstream(String chain, String name) {
        Chain c = chains.get(chain);
        return c == null ? Optional.empty() : c.upstreams().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** Open incidents first (oldest first), then resolved ones, newest first, from this run and the store. */
    List<IncidentView> incidents() {
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

    /** The monitor's HTML for the status page (the part inside {@code <div id="ops">}). */
    public String statusHtml() {
        List<IncidentView> all = incidents();
        History.Cached cached = history.cached();
        List<SubjectView> views = monitor.views();
        Map<String, SubjectView> byId = new java.util.HashMap<>();
        views.forEach(v -> byId.put(v.subject().id(), v));
        return StatusSection.render(all.stream().filter(IncidentView::open).toList(),
                all.stream().filter(i -> !i.open()).toList(), views, cached.uptime(), config.maintenance(),
                SitesSection.render(sites.values(), byId), clock.instant());
    }

    /** CSS the status page adds for {@link #statusHtml}. */
    public static String statusStyle() {
        return StatusSection.STYLE + SitesSection.STYLE;
    }

    /** The inline script that patches the page from {@code /status/events}. */
    public static String statusScript() {
        return StatusSection.SCRIPT;
    }

    private String livePayload() {
        ObjectNode n = JSON.createObjectNode();
        n.put("ops", statusHtml());
        n.put("chains", chainsHtml.get());
        try {
            return JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
        live.close();
        history.flush(monitor.drainSamples());
        history.close();
        blocking.shutdownNow();
    }
}
