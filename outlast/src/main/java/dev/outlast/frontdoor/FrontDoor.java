package dev.outlast.frontdoor;

import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.RecordSet;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running front door: probes every target on its schedule, feeds the results to the monitor and
 * to its {@link Steering}, carries out the decisions on every DNS provider ({@link ProviderSync},
 * each on its own), and tells its incident what moved and why.
 *
 * <p>At start it reads the record from every provider and adopts the first that matches a target
 * as the active one (else the preferred target is written); until then it decides nothing. It
 * decides after each probe and every second. The front door's incident (subject
 * {@code frontdoor/<name>}) is open while the record is off the preferred target, a hold stands, or
 * a provider fails; each move, each new hold and each provider failure is a timeline entry and an
 * alert.
 *
 * <p>Thread-safe: state is guarded by this object; the listener is told outside the lock.
 */
public final class FrontDoor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FrontDoor.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration READ_RETRY = Duration.ofSeconds(5);

    private final FrontDoorConfig config;
    private final Steering steering;
    private final Map<String, PathProbe> probes;
    private final List<ProviderSync> providers = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final FrontDoorListener listener;
    private final Subject subject;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final List<Runnable> pending = new ArrayList<>();
    private final Object flushing = new Object();
    private boolean adopted;
    private boolean closed;
    private boolean incidentOpen;
    private String heldFor;
    private Decision lastDecision;
    private Instant lastDecisionAt;

    /**
     * @param probes    one probe per target, by target name
     * @param providers every place the record is written
     */
    public FrontDoor(FrontDoorConfig config, List<MaintenanceWindow> windows, Map<String, PathProbe> probes,
                     List<DnsProvider> providers, ScheduledExecutorService scheduler, Clock clock,
                     FrontDoorListener listener) {
        this(config, windows, probes, providers, scheduler, clock, listener, ProviderSync.FIRST_BACKOFF);
    }

    FrontDoor(FrontDoorConfig config, List<MaintenanceWindow> windows, Map<String, PathProbe> probes,
              List<DnsProvider> providers, ScheduledExecutorService scheduler, Clock clock, FrontDoorListener listener,
              Duration firstBackoff) {
        this.config = config;
        this.steering = new Steering(config, windows);
        this.probes = new LinkedHashMap<>(probes);
        this.scheduler = scheduler;
        this.clock = clock;
        this.listener = listener;
        this.subject = Subject.frontDoor(config.name());
        ProviderSync.Events events = new ProviderSync.Events() {
            @Override
            public void failing(ProviderSync provider, String error) {
                providerFailing(provider, error);
            }

            @Override
            public void recovered(ProviderSync provider, int failures) {
                providerRecovered(provider, failures);
            }
        };
        for (DnsProvider p : providers) {
            this.providers.add(new ProviderSync(p, scheduler, clock, events, firstBackoff));
        }
    }

    public FrontDoorConfig config() {
        return config;
    }

    /**
     * Starts the probes (each target's next probe {@code interval} after its last one ended) and the
     * ticks, and reads the current record from every provider.
     */
    public synchronized void start() {
        for (Map.Entry<String, PathProbe> e : probes.entrySet()) {
            probeLater(e.getKey(), e.getValue(), Duration.ZERO);
        }
        tasks.add(scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS));
        readCurrent();
    }

    private synchronized void probeLater(String target, PathProbe probe, Duration delay) {
        if (closed) {
            return;
        }
        tasks.removeIf(Future::isDone);
        tasks.add(scheduler.schedule(() -> probe.run().thenAccept(r -> {
            onProbe(target, r);
            probeLater(target, probe, probe.interval());
        }), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Reads every provider's record; adopts the first that matches a target, else writes the preferred one. */
    void readCurrent() {
        List<CompletableFuture<Optional<RecordSet>>> reads = new ArrayList<>();
        for (ProviderSync p : providers) {
            reads.add(p.readCurrent(config.hostname()));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenRun(() -> adopt(reads));
    }

    private void adopt(List<CompletableFuture<Optional<RecordSet>>> reads) {
        synchronized (this) {
            if (closed) {
                return;
            }
            List<Optional<RecordSet>> answers = reads.stream().map(CompletableFuture::join).toList();
            if (!answers.isEmpty() && answers.stream().allMatch(a -> a == null)) {
                log.warn("front door {}: no DNS provider answered a read of {}; reading again in {}s", config.name(),
                        config.hostname(), READ_RETRY.toSeconds());
                tasks.add(scheduler.schedule(this::readCurrent, READ_RETRY.toMillis(), TimeUnit.MILLISECONDS));
                return;
            }
            for (int i = 0; i < answers.size(); i++) {
                Optional<FrontDoorConfig.Target> found = answers.get(i) == null ? Optional.empty()
                        : answers.get(i).flatMap(this::targetOf);
                if (found.isPresent()) {
                    steering.adopt(found.get().name());
                    log.info("front door {}: {} found on {} at {}", config.name(), config.hostname(),
                            found.get().name(), providers.get(i).provider().describe());
                    break;
                }
            }
            adopted = true;
            writeActive();
            decide();
        }
        flush();
    }

    /** One probe result of {@code target}: to the monitor, to the decision. */
    void onProbe(String target, ProbeResult result) {
        listener.onProbe(Subject.frontDoorTarget(config.name(), target, vendorOf(target)), result.observation());
        synchronized (this) {
            steering.record(target, result, clock.instant());
            decide();
        }
        flush();
    }

    /** Decides with the time alone (failback, maintenance, damping); called every second. */
    void tick() {
        synchronized (this) {
            decide();
        }
        flush();
    }

    private void decide() {
        if (!adopted || closed) {
            return;
        }
        Instant now = clock.instant();
        String from = steering.active();
        Decision d = steering.decide(now);
        if (d.kind() != Decision.Kind.STAY) {
            lastDecision = d;
            lastDecisionAt = now;
        }
        if (d.kind() == Decision.Kind.MOVE) {
            moved(from, d);
        } else if (d.kind() == Decision.Kind.HOLD) {
            if (!d.cause().equals(heldFor)) {
                heldFor = d.cause();
                log.warn("front door {}: holding on {}: {}", config.name(), d.target(), d.reason());
                event(d.severity(), "held", config.hostname() + " stays on " + d.target() + ": " + d.reason());
            }
        } else {
            heldFor = null;
        }
        settleIfClear();
    }

    private void moved(String from, Decision d) {
        heldFor = null;
        String message = config.hostname() + " moved from " + from + " to " + d.target() + ": " + d.reason();
        log.warn("front door {}: {}", config.name(), message);
        event(Health.DEGRADED, "moved", message);
        writeActive();
    }

    private void writeActive() {
        RecordSet records = recordFor(config.targets().stream().filter(t -> t.name().equals(steering.active()))
                .findFirst().orElseThrow());
        for (ProviderSync p : providers) {
            pending.add(() -> p.want(records));
        }
    }

    private void event(Health severity, String type, String message) {
        incidentOpen = true;
        pending.add(() -> listener.onEvent(subject, severity, type, message));
    }

    private void settleIfClear() {
        boolean clear = heldFor == null && steering.active().equals(config.preferred().name())
                        && providers.stream().noneMatch(ProviderSync::failing);
        if (clear && incidentOpen) {
            incidentOpen = false;
            String why = config.hostname() + " on " + steering.active() + " (preferred)"
                         + (providers.isEmpty() ? "" : ", no DNS provider failing");
            pending.add(() -> listener.onSettled(subject, why));
        }
    }

    private void providerFailing(ProviderSync p, String error) {
        synchronized (this) {
            log.warn("front door {}: {} failed: {}", config.name(), p.provider().describe(), error);
            event(Health.DEGRADED, "dns", p.provider().describe() + " failed for " + config.hostname() + ": " + error
                    + "; retrying with backoff");
        }
        flush();
    }

    private void providerRecovered(ProviderSync p, int failures) {
        synchronized (this) {
            log.info("front door {}: {} answers again after {} failed attempts", config.name(),
                    p.provider().describe(), failures);
            if (incidentOpen) {
                pending.add(() -> listener.onEvent(subject, Health.DEGRADED, "dns", p.provider().describe()
                        + " answers again for " + config.hostname() + " after " + failures + " failed attempts"));
            }
            settleIfClear();
        }
        flush();
    }

    /**
     * Pins the record to {@code target} until {@link #unpin}.
     *
     * @throws IllegalArgumentException for an unknown target
     */
    public Decision pin(String target, String who) {
        return operator(() -> steering.pin(target, who, clock.instant()), "pinned");
    }

    /** Ends a pin; returns whether there was one. */
    public boolean unpin(String who) {
        boolean was;
        synchronized (this) {
            was = steering.unpin();
            if (was && incidentOpen) {
                pending.add(() -> listener.onEvent(subject, Health.DEGRADED, "unpinned", "unpinned by " + who));
            }
            decide();
        }
        flush();
        return was;
    }

    /**
     * Moves the record to {@code target} now.
     *
     * @throws IllegalArgumentException for an unknown target
     * @throws IllegalStateException    while pinned to another target
     */
    public Decision force(String target, String who) {
        return operator(() -> steering.force(target, who, clock.instant()), "forced");
    }

    private Decision operator(java.util.function.Supplier<Decision> action, String type) {
        Decision d;
        synchronized (this) {
            String from = steering.active();
            d = action.get();
            lastDecision = d;
            lastDecisionAt = clock.instant();
            if (d.kind() == Decision.Kind.MOVE) {
                moved(from, d);
            } else if (incidentOpen) {
                event(Health.DEGRADED, type, d.reason());
            }
            settleIfClear();
        }
        flush();
        return d;
    }

    /** What the front door is doing now. */
    public synchronized FrontDoorStatus status() {
        Instant now = clock.instant();
        return new FrontDoorStatus(config.name(), config.hostname(), config.ttl(), config.failback().label(),
                config.preferred().name(), steering.active(), steering.pinned(), steering.lastChange(), adopted,
                lastDecision, lastDecisionAt, heldFor, steering.targets(now),
                providers.stream().map(ProviderSync::status).toList());
    }

    /** The record set {@code target} puts on the hostname. */
    RecordSet recordFor(FrontDoorConfig.Target target) {
        if (target.cname() != null) {
            return new RecordSet(config.hostname(), RecordSet.Type.CNAME, List.of(target.cname()), config.ttl());
        }
        return target.a().isEmpty()
                ? new RecordSet(config.hostname(), RecordSet.Type.AAAA, target.aaaa(), config.ttl())
                : new RecordSet(config.hostname(), RecordSet.Type.A, target.a(), config.ttl());
    }

    private Optional<FrontDoorConfig.Target> targetOf(RecordSet found) {
        return config.targets().stream().filter(t -> recordFor(t).sameTarget(found)).findFirst();
    }

    private String vendorOf(String target) {
        return config.targets().stream().filter(t -> t.name().equals(target)).findFirst()
                .map(FrontDoorConfig.Target::vendor).orElse(null);
    }

    /**
     * Runs what the locked sections queued (listener calls, provider writes) outside the state's lock,
     * one thread at a time and in the order queued, so the last record set wanted is the last written.
     */
    private void flush() {
        synchronized (flushing) {
            List<Runnable> run;
            synchronized (this) {
                if (pending.isEmpty()) {
                    return;
                }
                run = List.copyOf(pending);
                pending.clear();
            }
            run.forEach(Runnable::run);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            tasks.forEach(t -> t.cancel(false));
            tasks.clear();
        }
        providers.forEach(ProviderSync::close);
    }
}
