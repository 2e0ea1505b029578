package dev.outlast.frontdoor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlast.attribution.Vendor;
import dev.outlast.frontdoor.dns.RecordSet;
import dev.outlast.incident.IncidentView;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

/**
 * The JSON form of front doors, for {@code GET /api/v1/frontdoors} and the answers of the admin writes:
 * per front door its hostname, TTL, failback, the preferred, active and pinned target, the last
 * change and the last decision with its reason; per target its state and last probe (verdict:
 * {@code pass}, {@code path}, {@code origin} or {@code unattributed}, with the attribution); per DNS
 * provider what it should serve, its last write, its last read-back and its last error in the
 * provider's own words. Times are ISO-8601 UTC, {@code null} when there is none.
 *
 * <p>Thread-safe (stateless).
 */
public final class FrontDoorJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FrontDoorJson() {
    }

    /** {@code {"frontDoors": [...]}}. */
    public static ObjectNode list(Collection<FrontDoorStatus> doors) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("frontDoors");
        doors.forEach(d -> list.add(of(d)));
        return root;
    }

    public static ObjectNode of(FrontDoorStatus d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", d.name());
        n.put("hostname", d.hostname());
        n.put("ttlSeconds", d.ttl().toSeconds());
        n.put("failback", d.failback());
        n.put("preferred", d.preferred());
        n.put("active", d.active());
        n.put("pinned", d.pinned());
        n.put("lastChange", time(d.lastChange()));
        n.put("started", d.started());
        if (d.lastDecision() == null) {
            n.putNull("lastDecision");
        } else {
            Decision decision = d.lastDecision();
            n.putObject("lastDecision").put("kind", decision.kind().name().toLowerCase(Locale.ROOT))
                    .put("cause", decision.cause()).put("target", decision.target()).put("reason", decision.reason())
                    .put("at", time(d.lastDecisionAt()));
        }
        n.put("holding", d.holding());
        ArrayNode targets = n.putArray("targets");
        for (TargetStatus t : d.targets()) {
            ObjectNode tn = targets.addObject();
            tn.put("name", t.name());
            tn.put("vendor", t.vendor());
            tn.put("active", t.name().equals(d.active()));
            tn.put("state", t.state());
            tn.put("failStreak", t.failStreak());
            tn.put("passingSince", time(t.passingSince()));
            tn.put("drainedBy", t.drainedBy());
            if (t.last() == null) {
                tn.putNull("lastProbe");
            } else {
                ProbeResult r = t.last();
                tn.putObject("lastProbe").put("at", time(t.lastAt()))
                        .put("verdict", r.verdict().name().toLowerCase(Locale.ROOT))
                        .put("failure", r.failure()).put("detail", r.detail())
                        .put("vendor", r.vendor() == Vendor.UNKNOWN ? null : r.vendor().label())
                        .put("generatedBy", IncidentView.label(r.source())).put("location", r.location())
                        .put("latencyMs", Math.round(r.latencyMs() * 10) / 10.0);
            }
        }
        ArrayNode dns = n.putArray("dns");
        for (ProviderStatus p : d.providers()) {
            ObjectNode pn = dns.addObject();
            pn.put("provider", p.provider());
            pn.put("state", p.state());
            pn.set("wanted", records(p.wanted()));
            pn.putObject("lastWrite").put("at", time(p.writtenAt())).set("records", records(p.written()));
            ObjectNode read = pn.putObject("readBack");
            read.put("at", time(p.readAt()));
            read.set("records", records(p.read()));
            read.put("matches", p.wanted() != null && p.read() != null && p.wanted().sameTarget(p.read())
                                && p.wanted().ttl().equals(p.read().ttl()));
            if (p.error() == null) {
                pn.putNull("error");
            } else {
                pn.putObject("error").put("message", p.error()).put("at", time(p.errorAt()));
            }
            pn.put("failures", p.failures());
            pn.put("retryAt", time(p.retryAt()));
        }
        return n;
    }

    private static ObjectNode records(RecordSet r) {
        if (r == null) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("type", r.type().name());
        ArrayNode values = n.putArray("values");
        r.values().forEach(values::add);
        n.put("ttlSeconds", r.ttl().toSeconds());
        return n;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
