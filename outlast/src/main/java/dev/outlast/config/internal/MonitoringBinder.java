package dev.outlast.config.internal;

import dev.outlast.config.MonitoringConfig;
import dev.outlast.config.ProbeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Binds {@code monitoring}: detection thresholds and the extra probes. */
final class MonitoringBinder {

    private static final List<String> KEYS = List.of("openAfterFailures", "resolveAfterSuccesses", "slo", "burnRate",
            "shortWindow", "longWindow", "minCalls", "groupWait", "vendorGroupMin", "retentionDays", "probes");

    private MonitoringBinder() {
    }

    static Optional<MonitoringConfig> bind(Node node) {
        Optional<Mapping> mapping = node.mapping(KEYS, "a mapping");
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        int errors = node.problems().errorCount();
        MonitoringConfig d = MonitoringConfig.DEFAULT;
        int open = d.openAfterFailures();
        int resolve = d.resolveAfterSuccesses();
        double slo = d.slo();
        double burn = d.burnRate();
        Duration shortWindow = d.shortWindow();
        Duration longWindow = d.longWindow();
        int minCalls = d.minCalls();
        Duration groupWait = d.groupWait();
        int groupMin = d.vendorGroupMin();
        Duration retention = d.retention();
        List<ProbeConfig> probes = List.of();
        for (Node value : mapping.get()) {
            switch (value.key()) {
                case "openAfterFailures" -> open = value.integer(1, "an integer >= 1").orElse(open);
                case "resolveAfterSuccesses" -> resolve = value.integer(1, "an integer >= 1").orElse(resolve);
                case "slo" -> slo = value.as("a ratio between 0 and 1 such as 0.999, or a percentage such as 99.9%",
                        MonitoringBinder::ratio).orElse(slo);
                case "burnRate" -> burn = value.as("a number > 0 such as 14.4", text -> {
                    double v = number(text, "a number > 0 such as 14.4");
                    if (!(v > 0)) {
                        throw new BadValue("a number > 0 such as 14.4");
                    }
                    return v;
                }).orElse(burn);
                case "shortWindow" -> shortWindow = value.duration(true).orElse(shortWindow);
                case "longWindow" -> longWindow = value.duration(true).orElse(longWindow);
                case "minCalls" -> minCalls = value.integer(0, "an integer >= 0").orElse(minCalls);
                case "groupWait" -> groupWait = value.duration(false).orElse(groupWait);
                case "vendorGroupMin" -> groupMin = value.integer(2, "an integer >= 2").orElse(groupMin);
                case "retentionDays" -> retention = value.integer(1, 3650, "a number of days >= 1")
                        .map(Duration::ofDays).orElse(retention);
                case "probes" -> probes = ProbeBinder.bindAll(value).orElse(probes);
                default -> throw new AssertionError(value.key());
            }
        }
        if (shortWindow.compareTo(longWindow) > 0) {
            node.child("shortWindow", null).error(Values.format(shortWindow) + " (expected: at most longWindow, "
                    + Values.format(longWindow) + ")");
        }
        if (node.problems().errorCount() > errors) {
            return Optional.empty();
        }
        return Optional.of(new MonitoringConfig(open, resolve, slo, burn, shortWindow, longWindow, minCalls,
                groupWait, groupMin, retention, probes));
    }

    static double number(String text, String expected) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new BadValue(expected);
        }
    }

    private static double ratio(String text) {
        String expected = "a ratio between 0 and 1 such as 0.999, or a percentage such as 99.9%";
        double v = text.endsWith("%") ? number(text.substring(0, text.length() - 1), expected) / 100
                                      : number(text, expected);
        if (!(v > 0 && v < 1)) {
            throw new BadValue(expected);
        }
        return v;
    }
}
