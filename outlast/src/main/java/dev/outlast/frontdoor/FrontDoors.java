package dev.outlast.frontdoor;

import com.linecorp.armeria.client.ClientFactory;
import dev.outlast.config.FrontDoorConfig;
import dev.outlast.config.MaintenanceWindow;
import dev.outlast.frontdoor.dns.DnsProvider;
import dev.outlast.time.Ticker;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Every configured front door of a running server: built from the configuration, started and
 * stopped with it, looked up by name for the admin API.
 *
 * <p>Thread-safe.
 */
public final class FrontDoors implements AutoCloseable {

    /** Creates the DNS providers of one front door (its {@code dns:} entries and its built-in zone). */
    public interface Providers extends AutoCloseable {

        /** Every place the record of {@code door} is written. */
        List<DnsProvider> create(FrontDoorConfig door);

        /** Starts what the providers need running (the built-in server); called once, before any front door starts. */
        default void start() {
        }

        /** Where the built-in server answering for {@code frontDoor} listens, once started. */
        default Optional<InetSocketAddress> servedAt(String frontDoor) {
            return Optional.empty();
        }

        @Override
        default void close() {
        }
    }

    private final Map<String, FrontDoor> doors = new LinkedHashMap<>();
    private final Providers providers;

    /**
     * @param factory  the HTTP client factory of the probes
     * @param blocking where the probes resolve the edges' names
     */
    public FrontDoors(List<FrontDoorConfig> configs, List<MaintenanceWindow> windows, Providers providers,
                      ClientFactory factory, Executor blocking, ScheduledExecutorService scheduler, Clock clock,
                      FrontDoorListener listener) {
        this.providers = providers;
        for (FrontDoorConfig c : configs) {
            Map<String, PathProbe> probes = new LinkedHashMap<>();
            for (FrontDoorConfig.Target t : c.targets()) {
                probes.put(t.name(), new PathProbe(t, c.steering(), factory, blocking, Ticker.system()));
            }
            doors.put(c.name(), new FrontDoor(c, windows, probes, providers.create(c), scheduler, clock, listener));
        }
    }

    /** Starts the providers, then every front door. */
    public void start() {
        providers.start();
        doors.values().forEach(FrontDoor::start);
    }

    /** The front door named {@code name}. */
    public Optional<FrontDoor> get(String name) {
        return Optional.ofNullable(doors.get(name));
    }

    /** Every front door's status, in configuration order. */
    public List<FrontDoorStatus> statuses() {
        return doors.values().stream().map(FrontDoor::status).toList();
    }

    /** Where the built-in authoritative server answering for {@code frontDoor} listens, once started. */
    public Optional<InetSocketAddress> servedAt(String frontDoor) {
        return providers.servedAt(frontDoor);
    }

    public boolean isEmpty() {
        return doors.isEmpty();
    }

    @Override
    public void close() {
        doors.values().forEach(FrontDoor::close);
        providers.close();
    }
}
