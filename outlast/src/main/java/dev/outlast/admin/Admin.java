package dev.outlast.admin;

import com.linecorp.armeria.server.ServerBuilder;
import dev.outlast.config.OpsConfig;
import dev.outlast.frontdoor.FrontDoors;
import dev.outlast.routing.Chain;
import dev.outlast.site.Site;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The HTTP surfaces for people, built complete from what they show:
 * <ul>
 *   <li>{@code GET /api/v1/upstreams}, {@code POST /api/v1/upstreams/{chain}/{name}/drain|restore}
 *       ({@link UpstreamsApi})</li>
 *   <li>{@code GET /api/v1/incidents[/{id}]}, {@code POST /api/v1/incidents/{id}/acknowledge}
 *       ({@link IncidentsApi})</li>
 *   <li>{@code GET /api/v1/monitors} ({@link MonitorsApi}), {@code GET /api/v1/sites} ({@link SitesApi})</li>
 *   <li>{@code GET /api/v1/frontdoors[/{name}]}, {@code POST /api/v1/frontdoors/{name}/pin|unpin|move}
 *       ({@link FrontDoorsApi})</li>
 *   <li>{@code GET /status} ({@link StatusPage}) and its live parts, {@code GET /status/events}
 *       ({@link LiveEvents})</li>
 * </ul>
 * Writes need {@code Authorization: Bearer <admin.token>} and are refused when no token is configured.
 *
 * <p>Thread-safe. {@link #start} starts the live updates; {@link #close} ends them and their streams.
 */
public final class Admin implements AutoCloseable {

    private final UpstreamsApi upstreams;
    private final IncidentsApi incidents;
    private final MonitorsApi monitors;
    private final SitesApi sites;
    private final FrontDoorsApi frontDoors;
    private final StatusPage page;
    private final LiveEvents live;

    /**
     * @param ops        the admin token and the maintenance windows to show
     * @param chains     the chains served, by id
     * @param sites      the sites proxied, by id
     * @param monitoring incidents, monitored subjects and their uptime
     * @param frontDoors the front doors steered
     * @param scheduler  runs the live updates of the status page
     */
    public Admin(OpsConfig ops, Clock clock, ScheduledExecutorService scheduler, Map<String, Chain> chains,
                 Map<String, Site> sites, MonitoringView monitoring, FrontDoors frontDoors) {
        Bearer bearer = new Bearer(ops.adminToken());
        this.upstreams = new UpstreamsApi(chains, bearer);
        this.incidents = new IncidentsApi(monitoring, clock, bearer);
        this.monitors = new MonitorsApi(monitoring, clock);
        this.sites = new SitesApi(sites.values());
        this.frontDoors = new FrontDoorsApi(frontDoors, bearer);
        this.page = new StatusPage(clock, chains.values(), sites.values(), frontDoors, monitoring, ops.maintenance());
        this.live = new LiveEvents(page::livePayload, scheduler);
    }

    /** Adds every endpoint above to {@code sb}. */
    public void routes(ServerBuilder sb) {
        upstreams.routes(sb);
        incidents.routes(sb);
        monitors.routes(sb);
        live.routes(sb);
        sites.routes(sb);
        frontDoors.routes(sb);
        page.routes(sb);
    }

    /** Starts pushing the status page's live parts to its subscribers. */
    public void start() {
        live.start();
    }

    @Override
    public void close() {
        live.close();
    }
}
