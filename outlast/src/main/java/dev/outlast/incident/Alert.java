package dev.outlast.incident;

/**
 * One alert to send: an incident opened, its attributed vendor changed, an event decided outside the
 * monitor was written on it (a front door's record moved), or it resolved.
 *
 * <p>The deduplication key is the incident, the event and the vendor: the same event for the same
 * incident and vendor is delivered once; a note is keyed by its place on the timeline instead.
 */
public record Alert(Event event, IncidentView incident) {

    /** Why the alert is sent. */
    public enum Event {
        OPENED("opened"), VENDOR_CHANGED("vendor_changed"), NOTE("note"), RESOLVED("resolved");

        private final String label;

        Event(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public String dedupKey() {
        if (event == Event.NOTE) {
            return incident.id() + "|" + event.label() + "|" + incident.timeline().size();
        }
        return incident.id() + "|" + event.label() + "|" + incident.vendor().label();
    }
}
