package dev.outlast.ops;

import dev.outlast.frontdoor.FrontDoorListener;
import dev.outlast.incident.IncidentBook;
import dev.outlast.monitor.Health;
import dev.outlast.monitor.Monitor;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;

/**
 * Front doors into monitoring: each target's probes into the monitor (subjects
 * {@code frontdoor/<name>/<target>}), and each front door's moves, holds and DNS provider failures
 * onto the incident of {@code frontdoor/<name>}, alerted at once and kept in the history store.
 *
 * <p>Thread-safe; never blocks.
 */
final class FrontDoorBridge implements FrontDoorListener {

    private final Monitor monitor;
    private final IncidentBook book;

    FrontDoorBridge(Monitor monitor, IncidentBook book) {
        this.monitor = monitor;
        this.book = book;
    }

    @Override
    public void onProbe(Subject target, Observation observation) {
        monitor.observe(target, observation);
    }

    @Override
    public void onEvent(Subject frontDoor, Health severity, String type, String message) {
        book.note(frontDoor, severity, type, message);
    }

    @Override
    public void onSettled(Subject frontDoor, String why) {
        book.resolve(frontDoor, why);
    }
}
