package dev.outlast.frontdoor;

import dev.outlast.monitor.Health;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;

/**
 * Where a front door reports to the monitor and the incidents: each probe of a target (subject
 * {@code frontdoor/<name>/<target>}), and what happened to the front door itself (subject
 * {@code frontdoor/<name>}): a move, a hold and its reason, a DNS provider failing or recovering.
 *
 * <p>Implementations are thread-safe and must not block: calls come from event loops.
 */
public interface FrontDoorListener {

    /** One probe of a target. */
    void onProbe(Subject target, Observation observation);

    /**
     * Writes {@code message} on the front door's open incident, opening one at {@code severity} when none
     * is open, and alerts it.
     *
     * @param type the timeline entry's type: {@code moved}, {@code held}, {@code dns}, {@code pinned}
     */
    void onEvent(Subject frontDoor, Health severity, String type, String message);

    /** Resolves the front door's open incident, if any: it is back on its preferred target and fully written. */
    void onSettled(Subject frontDoor, String why);

    /** A listener that ignores everything. */
    FrontDoorListener NONE = new FrontDoorListener() {
        @Override
        public void onProbe(Subject target, Observation observation) {
        }

        @Override
        public void onEvent(Subject frontDoor, Health severity, String type, String message) {
        }

        @Override
        public void onSettled(Subject frontDoor, String why) {
        }
    };
}
