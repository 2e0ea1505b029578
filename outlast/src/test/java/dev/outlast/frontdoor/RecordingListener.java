package dev.outlast.frontdoor;

import dev.outlast.monitor.Health;
import dev.outlast.monitor.Observation;
import dev.outlast.monitor.Subject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a front door told its listener, as lines: "type severity: message", "settled: why", "probe id ok|failure". */
final class RecordingListener implements FrontDoorListener {

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> probes = new CopyOnWriteArrayList<>();

    @Override
    public void onProbe(Subject target, Observation observation) {
        probes.add(target.id() + " " + (observation.ok() ? "ok" : observation.failure()));
    }

    @Override
    public void onEvent(Subject frontDoor, Health severity, String type, String message) {
        events.add(type + " " + severity.label() + ": " + message);
    }

    @Override
    public void onSettled(Subject frontDoor, String why) {
        events.add("settled: " + why);
    }

    /** The events' types (and "settled"), in order. */
    List<String> types() {
        return events.stream().map(e -> e.substring(0, e.indexOf(e.startsWith("settled") ? ':' : ' '))).toList();
    }
}
