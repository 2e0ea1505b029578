package dev.outlast.monitor;

/** A subject's state as the monitor sees it. */
public enum Health {
    OK("ok"), DEGRADED("degraded"), DOWN("down");

    private final String label;

    Health(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
