package dev.outlast.admin;

import dev.outlast.incident.IncidentView;
import dev.outlast.monitor.SubjectView;
import dev.outlast.store.Uptime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the surfaces for people read from monitoring, and the one change they make to it
 * (acknowledging an incident). The server's monitoring wiring provides it.
 *
 * <p>Implementations are thread-safe and never block: history comes from a cache.
 */
public interface MonitoringView {

    /** How many days of uptime the API and the status page show. */
    int UPTIME_DAYS = 90;

    /** Open incidents first (oldest first), then resolved ones, newest first, from this run and the store. */
    List<IncidentView> incidents();

    /** Marks an incident of this run acknowledged by {@code who}; empty when this run has no such incident. */
    Optional<IncidentView> acknowledge(String id, String who);

    /** Every monitored subject, ordered by group and name. */
    List<SubjectView> subjects();

    /** Per subject id, its daily results over the last {@link #UPTIME_DAYS} days. */
    Map<String, List<Uptime>> uptime();
}
