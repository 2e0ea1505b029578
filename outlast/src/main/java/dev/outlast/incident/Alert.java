package dev.outlast.incident;

/**
 * One alert to send: an incident opened, its attributed vendor changed, or it resolved.
 *
 * <p>The deduplication key is the incident, the event and the vendor: the same event for the same
 * incident and vendor is delivered once.
 */
public record Alert(Event event, IncidentView incident) {

    /** Why the alert is sent. */
    public enum Event {
        OPENED("opened"), VENDOR_CHANGED("vendor_changed"), RESOLVED("resolved");

        private final String label;

        Event(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public String dedupKey() {
        return incident.id() + "|" + event.label() + "|" + incident.vendor().label();
    }
}
