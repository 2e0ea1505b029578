package dev.outlast.drill.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A user of the steered hostname, as a browser behind a caching stub resolver: finds the CDN edge to
 * connect to ({@link #throughDns}: asks the authoritative server for the hostname and keeps the answer
 * for its TTL, then follows the CNAME to the CDN's edge; {@link #fixed}: always the same edge, what
 * users get when nothing moves the record), and fetches the page there every {@link #EVERY}. Every
 * fetch is kept, with when it started and whether the user saw an error (anything but a 2xx, or no
 * answer).
 *
 * <p>Thread-safe: one thread fetches, any thread reads the results.
 */
final class HostnameUser implements AutoCloseable {

    /** Time between two fetches. */
    static final Duration EVERY = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One fetch: when it started, whether it failed, and through which edge. */
    record Fetch(Instant at, boolean failed, String edge) {
    }

    private final String hostname;
    private final Supplier<Edge> edges;
    private final ClientFactory factory;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Fetch> fetches = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Where a fetch goes: the CDN name the hostname resolved to, and its edge's address. */
    record Edge(String name, InetSocketAddress address) {
    }

    private HostnameUser(String name, String hostname, Supplier<Edge> edges, ClientFactory factory, Clock clock) {
        this.hostname = hostname;
        this.edges = edges;
        this.factory = factory;
        this.clock = clock;
        this.thread = Thread.ofVirtual().name("drill-user-" + name).unstarted(this::run);
    }

    /**
     * A user resolving {@code hostname} through {@code dns} (honouring the answer's TTL) and reaching the
     * CDN name it points at through {@code cdnEdges}.
     */
    static HostnameUser throughDns(String name, String hostname, InetSocketAddress dns,
                                   Map<String, InetSocketAddress> cdnEdges, ClientFactory factory, Clock clock) {
        return new HostnameUser(name, hostname, new CachingResolver(hostname, dns, cdnEdges, clock), factory, clock);
    }

    /** A user always reaching {@code edge}, whatever DNS says. */
    static HostnameUser fixed(String name, String hostname, Edge edge, ClientFactory factory, Clock clock) {
        return new HostnameUser(name, hostname, () -> edge, factory, clock);
    }

    HostnameUser start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            Instant at = clock.instant();
            Edge edge = null;
            boolean failed;
            try {
                edge = edges.get();
                AggregatedHttpResponse res = WebClient.builder("http", Endpoint.of(hostname, edge.address().getPort())
                                .withIpAddr(edge.address().getAddress().getHostAddress()))
                        .factory(factory).responseTimeout(TIMEOUT).build().get("/").aggregate().join();
                failed = res.status().code() / 100 != 2;
            } catch (RuntimeException e) {
                failed = true;
            }
            fetches.add(new Fetch(at, failed, edge == null ? "unresolved" : edge.name()));
            Duration left = EVERY.minus(Duration.between(at, clock.instant()));
            if (!left.isNegative()) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The fetches that started in {@code [from, to)}. */
    List<Fetch> between(Instant from, Instant to) {
        return fetches.stream().filter(f -> !f.at().isBefore(from) && f.at().isBefore(to)).toList();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    /** A stub resolver with a cache: asks for the hostname, keeps the CNAME for its TTL. */
    private static final class CachingResolver implements Supplier<Edge> {

        private final String hostname;
        private final InetSocketAddress dns;
        private final Map<String, InetSocketAddress> cdnEdges;
        private final Clock clock;
        private Edge cached;
        private Instant expires = Instant.MIN;

        CachingResolver(String hostname, InetSocketAddress dns, Map<String, InetSocketAddress> cdnEdges, Clock clock) {
            this.hostname = hostname;
            this.dns = dns;
            this.cdnEdges = cdnEdges;
            this.clock = clock;
        }

        @Override
        public Edge get() {
            Instant now = clock.instant();
            if (cached == null || !now.isBefore(expires)) {
                try {
                    SimpleResolver resolver = new SimpleResolver(dns);
                    resolver.setTimeout(TIMEOUT);
                    Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(hostname + "."),
                            Type.A, DClass.IN)));
                    CNAMERecord cname = answer.getSection(Section.ANSWER).stream()
                            .filter(r -> r instanceof CNAMERecord).map(r -> (CNAMERecord) r).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no CNAME for " + hostname));
                    String target = cname.getTarget().toString(true);
                    cached = new Edge(target, cdnEdges.get(target));
                    expires = now.plusSeconds(cname.getTTL());
                } catch (IOException e) {
                    throw new IllegalStateException("cannot resolve " + hostname + ": " + e.getMessage(), e);
                }
            }
            return cached;
        }
    }
}
