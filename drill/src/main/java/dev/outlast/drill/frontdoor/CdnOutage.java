package dev.outlast.drill.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.CacheConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.OpsConfig;
import dev.outlast.config.OutlastConfig;
import dev.outlast.config.ServerConfig;
import dev.outlast.frontdoor.FrontDoorStatus;
import dev.outlast.server.OutlastServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@value #NAME} drill: an origin behind two CDN edges ({@code cloudflare}, preferred, and
 * {@code cloudfront}), Outlast steering {@value #HOSTNAME} across them from its built-in
 * authoritative server (TTL 5 s, the default detection), and two users fetching the site every
 * 250 ms: one resolving the hostname through Outlast's DNS and honouring the TTL, one always reaching
 * the first CDN, as users do when nothing moves the record. The phases: healthy; the first edge serves
 * Cloudflare {@code 522} pages; it recovers (the record moves back after {@code failbackAfter}); the
 * origin fails behind both edges (the record must not move); recovered.
 *
 * <p>Lifecycle: {@link #start}, {@link #play} (one at a time), {@link #stop()} (from any thread: the
 * play returns early), {@link #close()}.
 */
public final class CdnOutage implements AutoCloseable {

    public static final String NAME = "cdn-outage";
    public static final String DESCRIPTION = "two CDN edges in front of one origin: the first serves Cloudflare "
            + "522 pages, then recovers; then the origin fails behind both; users resolve the hostname through "
            + "Outlast's DNS (ttl 5s)";
    public static final String HOSTNAME = "www.example.com";
    static final String CF_NAME = "www.example.com.cdn.cloudflare.net";
    static final String CFR_NAME = "d111111abcdef8.cloudfront.net";
    static final Duration TTL = Duration.ofSeconds(5);
    static final Duration FAILBACK_AFTER = Duration.ofSeconds(10);
    /** The longest the users' first fetches may take before the phases start. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    /** One phase: how long, and what fails. */
    public record Phase(String name, String description, Duration duration, int cloudflarePage, boolean originDown) {
    }

    /** The phases, in order. */
    public static final List<Phase> PHASES = List.of(
            new Phase("healthy", "both edges serve the origin", Duration.ofSeconds(5), 0, false),
            new Phase("cloudflare-5xx", "the first edge answers Cloudflare 522 pages", Duration.ofSeconds(30), 522,
                    false),
            new Phase("cloudflare-recovered", "the first edge serves again; the record moves back after "
                    + FAILBACK_AFTER.toSeconds() + "s", Duration.ofSeconds(25), 0, false),
            new Phase("origin-down", "the origin answers 503 behind both edges", Duration.ofSeconds(15), 0, true),
            new Phase("recovered", "everything serves again", Duration.ofSeconds(5), 0, false));

    /** How long the phases last together. */
    public static Duration length() {
        return PHASES.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    private final CdnOrigin origin;
    private final CdnEdge cloudflare;
    private final CdnEdge cloudfront;
    private final OutlastServer server;
    private final ClientFactory users;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private CdnOutage(CdnOrigin origin, CdnEdge cloudflare, CdnEdge cloudfront, OutlastServer server, Clock clock) {
        this.origin = origin;
        this.cloudflare = cloudflare;
        this.cloudfront = cloudfront;
        this.server = server;
        this.clock = clock;
        this.users = ClientFactory.builder().idleTimeout(Duration.ofSeconds(30)).build();
    }

    /** Starts the origin, the edges and Outlast (its API and status page on {@code host:port}; 0: a free port). */
    public static CdnOutage start(String host, int port) {
        CdnOrigin origin = new CdnOrigin();
        CdnEdge cloudflare = new CdnEdge(CdnEdge.Vendor.CLOUDFLARE, origin.uri());
        CdnEdge cloudfront = new CdnEdge(CdnEdge.Vendor.CLOUDFRONT, origin.uri());
        try {
            OutlastServer server = OutlastServer.start(new OutlastConfig(ServerConfig.of(host, port), List.of(),
                    List.of(), CacheConfig.DEFAULT, OpsConfig.IN_MEMORY, List.of(frontDoor(cloudflare, cloudfront))));
            return new CdnOutage(origin, cloudflare, cloudfront, server, Clock.systemUTC());
        } catch (RuntimeException e) {
            cloudfront.close();
            cloudflare.close();
            origin.close();
            throw e;
        }
    }

    /** The front door: ttl 5s, failback after 10s, every other setting the default. */
    static FrontDoorConfig frontDoor(CdnEdge cloudflare, CdnEdge cloudfront) {
        FrontDoorConfig.Steering d = FrontDoorConfig.Steering.DEFAULT;
        return new FrontDoorConfig("www", HOSTNAME, TTL, FrontDoorConfig.Failback.AUTO, List.of(
                FrontDoorConfig.Target.cname("cloudflare", "cloudflare", CF_NAME, probe(cloudflare)),
                FrontDoorConfig.Target.cname("cloudfront", "cloudfront", CFR_NAME, probe(cloudfront))),
                List.of(), new FrontDoorConfig.Serve("127.0.0.1", 0),
                new FrontDoorConfig.Steering(d.failAfter(), FAILBACK_AFTER, d.minChangeInterval(), d.probeInterval(),
                        d.probeTimeout()));
    }

    private static FrontDoorConfig.Probe probe(CdnEdge edge) {
        return new FrontDoorConfig.Probe(URI.create("http://" + HOSTNAME + "/health"), "127.0.0.1",
                edge.address().getPort(), null, null);
    }

    /** {@code http://host:port} of Outlast's API and status page. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Where Outlast's built-in DNS server answers for the hostname. */
    public InetSocketAddress dns() {
        return server.frontDoors().servedAt("www").orElseThrow();
    }

    /** {@link #dns()} as {@code host:port}, for people. */
    public String dnsAddress() {
        return dns().getAddress().getHostAddress() + ":" + dns().getPort();
    }

    /**
     * Plays every phase, once both users have fetched once; {@code progress} hears a line a second.
     * Returns early, with what was seen so
     * far, when {@link #stop()} is called.
     */
    public CdnOutageResult play(Consumer<String> progress) {
        Map<String, InetSocketAddress> cdns = Map.of(CF_NAME, cloudflare.address(), CFR_NAME, cloudfront.address());
        List<CdnOutageResult.PhaseOutcome> outcomes = new ArrayList<>();
        List<CdnOutageResult.Move> moves = new ArrayList<>();
        Instant started = clock.instant();
        String active = status().active();
        try (HostnameUser steered = HostnameUser.throughDns("steered", HOSTNAME, dns(), cdns, users, clock).start();
             HostnameUser fixed = HostnameUser.fixed("fixed", HOSTNAME, new HostnameUser.Edge(CF_NAME,
                     cloudflare.address()), users, clock).start()) {
            Instant warm = clock.instant().plus(WARM_UP);
            while ((steered.between(started, warm).isEmpty() || fixed.between(started, warm).isEmpty())
                   && clock.instant().isBefore(warm)) {
                if (await(Duration.ofMillis(100))) {
                    return new CdnOutageResult(started, outcomes, moves, false);
                }
            }
            for (Phase phase : PHASES) {
                cloudflare.failWith(phase.cloudflarePage());
                origin.failing(phase.originDown());
                Instant from = clock.instant();
                Instant end = from.plus(phase.duration());
                boolean interrupted = false;
                long shown = -1;
                while (clock.instant().isBefore(end) && !interrupted) {
                    interrupted = await(Duration.ofMillis(250));
                    FrontDoorStatus now = status();
                    if (!now.active().equals(active)) {
                        moves.add(new CdnOutageResult.Move(Duration.between(started, clock.instant()), phase.name(),
                                active, now.active(), now.lastDecision() == null ? "" : now.lastDecision().reason()));
                        active = now.active();
                    }
                    long second = Duration.between(from, clock.instant()).toSeconds();
                    if (second != shown) {
                        shown = second;
                        progress.accept(CdnOutageReport.progress(phase, Duration.ofSeconds(second), now,
                                steered.between(from, clock.instant()), fixed.between(from, clock.instant())));
                    }
                }
                Instant to = clock.instant();
                outcomes.add(new CdnOutageResult.PhaseOutcome(phase, Duration.between(from, to),
                        CdnOutageResult.Tally.of(steered.between(from, to), from),
                        CdnOutageResult.Tally.of(fixed.between(from, to), from)));
                if (interrupted) {
                    return new CdnOutageResult(started, outcomes, moves, false);
                }
            }
        } finally {
            cloudflare.failWith(0);
            origin.failing(false);
        }
        return new CdnOutageResult(started, outcomes, moves, true);
    }

    private FrontDoorStatus status() {
        return server.frontDoors().statuses().get(0);
    }

    /** Waits {@code d}; true when stopped meanwhile. */
    private boolean await(Duration d) {
        try {
            return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Makes a {@link #play} in progress return early. */
    public void stop() {
        stopped.countDown();
    }

    @Override
    public void close() {
        stop();
        server.close();
        users.close();
        cloudfront.close();
        cloudflare.close();
        origin.close();
    }
}
