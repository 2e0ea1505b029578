package dev.outlast.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.DnsConfig;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.frontdoor.dns.AuthoritativeServer;
import dev.outlast.frontdoor.dns.BuiltInZone;
import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.frontdoor.dns.DnsProviders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The DNS providers of the configured front doors: one per {@code dns:} entry ({@link DnsProviders}),
 * and for a front door with {@code serve:} a {@link BuiltInZone} for its hostname, answered by one
 * {@link AuthoritativeServer} per listen address (front doors sharing an address share the server).
 * The providers' blocking calls run on a small pool of their own, never on an event loop.
 *
 * <p>Thread-safe.
 */
public final class DnsWiring implements FrontDoors.Providers {

    private final ClientFactory http;
    private final Clock clock;
    private final ExecutorService blocking = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "outlast-dns");
        t.setDaemon(true);
        return t;
    });
    private final Map<InetSocketAddress, List<BuiltInZone>> zones = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> listenOf = new LinkedHashMap<>();
    private final List<AuthoritativeServer> servers = new ArrayList<>();

    public DnsWiring(ClientFactory http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    @Override
    public synchronized List<DnsProvider> create(FrontDoorConfig door) {
        List<DnsProvider> out = new ArrayList<>();
        for (DnsConfig c : door.dns()) {
            out.add(DnsProviders.create(c, http, blocking, clock));
        }
        if (door.serve() != null) {
            InetSocketAddress listen = new InetSocketAddress(door.serve().host(), door.serve().port());
            BuiltInZone zone = new BuiltInZone(door.hostname());
            zones.computeIfAbsent(listen, l -> new ArrayList<>()).add(zone);
            listenOf.put(door.name(), listen);
            out.add(zone);
        }
        return out;
    }

    /**
     * Starts the built-in servers.
     *
     * @throws UncheckedIOException when an address cannot be bound (in use, or a privileged port)
     */
    @Override
    public synchronized void start() {
        for (Map.Entry<InetSocketAddress, List<BuiltInZone>> e : zones.entrySet()) {
            AuthoritativeServer server = new AuthoritativeServer(e.getKey(), e.getValue());
            try {
                server.start();
            } catch (IOException ex) {
                server.close();
                throw new UncheckedIOException("front doors' built-in DNS server: " + ex.getMessage(), ex);
            }
            servers.add(server);
        }
    }

    @Override
    public synchronized Optional<InetSocketAddress> servedAt(String frontDoor) {
        InetSocketAddress listen = listenOf.get(frontDoor);
        if (listen == null) {
            return Optional.empty();
        }
        List<InetSocketAddress> keys = new ArrayList<>(zones.keySet());
        int i = keys.indexOf(listen);
        return i < servers.size() ? Optional.ofNullable(servers.get(i).address()) : Optional.empty();
    }

    @Override
    public synchronized void close() {
        servers.forEach(AuthoritativeServer::close);
        servers.clear();
        blocking.shutdownNow();
    }
}
